"""Can a user's old py2neo scripts still read the graph? py2neo is end of life (2023) and was
only ever tested up to Neo4j 4.4, so graphkit does not build on it; it speaks Bolt 4.4, which
Neo4j 5.26 still accepts. This test, against the local Neo4j, shows what still works for reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.populate import populate_source
from graphkit.store import GraphStore

py2neo = pytest.importorskip("py2neo")


def test_py2neo_reads_what_graphkit_wrote(neo4j_store: GraphStore, shared_data: Path) -> None:
    populate_source(neo4j_store, "aic", shared_data / "aic_paintings", progress=False)
    env = neo4j_store.cli_env  # type: ignore[attr-defined]
    graph = py2neo.Graph(env["GRAPHKIT_GRAPH"], auth=("neo4j", env["NEO4J_PASSWORD"]))

    assert graph.run("MATCH (w:Artwork) RETURN count(w) AS n").evaluate() == 171
    # Parameters, node matching and relationships, the way py2neo scripts use them.
    rows = graph.run(
        "MATCH (w:Artwork)-[:CREATED_BY]->(a:Artist) WHERE w.year_start >= $from "
        "RETURN a.name AS artist, w.title AS title ORDER BY title LIMIT 5",
        {"from": 1880},
    ).data()
    assert len(rows) == 5 and all(r["artist"] and r["title"] for r in rows)
    monet = py2neo.NodeMatcher(graph).match("Artist", id="artist:claude-monet").first()
    assert monet is not None and monet["name"] == "Claude Monet"
    made = py2neo.RelationshipMatcher(graph).match([None, monet], r_type="CREATED_BY")
    assert len(list(made)) >= 1
