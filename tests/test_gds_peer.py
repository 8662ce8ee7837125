"""Neo4j's Graph Data Science library as a peer: the networkx analytics over the project's own
artist projection must agree with GDS over the same relationships (datathon source).

Neo4j only: GDS runs inside the local Neo4j 5.26 (tools/neo4j-local loads it as a plugin)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from scipy.stats import spearmanr

from graphkit.analytics.communities import louvain, undirected
from graphkit.analytics.influence import DAMPING, pagerank
from graphkit.analytics.projection import project_artists
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from tests.graphs import Neo4jGraphs

# The same two edge sets as analytics/apprentice_edges and analytics/recommends_edges, summed
# per artist pair as project_artists does (apprentice weight 1), projected into GDS.
PROJECT = """
CALL () {
  MATCH (s:Artist)-[:APPRENTICE_OF]->(t:Artist)
  WHERE s.id <> t.id
  RETURN s, t, count(*) AS w
  UNION ALL
  MATCH (w1:Artwork)-[:RECOMMENDS]->(w2:Artwork)
  MATCH (w1)-[:CREATED_BY]->(s:Artist)
  MATCH (w2)-[:CREATED_BY]->(t:Artist)
  WHERE s.id <> t.id
  RETURN s, t, count(DISTINCT [w1.id, w2.id]) AS w
}
WITH s, t, sum(w) AS weight
WITH gds.graph.project($name, s, t, {relationshipProperties: {weight: toFloat(weight)}},
                       $config) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
"""


@pytest.fixture(scope="module")
def datathon_neo4j(neo4j_pool: Neo4jGraphs, shared_data: Path) -> Iterator[GraphStore]:
    store = neo4j_pool.acquire()
    populate_source(store, "datathon", shared_data / "datathon", progress=False)
    yield store
    neo4j_pool.release(store)


def _project(store: GraphStore, name: str, *, undirected_graph: bool) -> dict[str, int]:
    config = {"undirectedRelationshipTypes": ["*"]} if undirected_graph else {}
    return store.cypher(PROJECT, {"name": name, "config": config}, write=True).rows[0]


def test_pagerank_agrees_with_gds(datathon_neo4j: GraphStore) -> None:
    graph = project_artists(datathon_neo4j)
    ours = pagerank(graph)
    shape = _project(datathon_neo4j, "artists-directed", undirected_graph=False)
    assert shape == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    rows = datathon_neo4j.cypher(
        "CALL gds.pageRank.stream($name, {relationshipWeightProperty: 'weight', "
        "dampingFactor: $damping, maxIterations: 200, tolerance: 1e-10}) "
        "YIELD nodeId, score RETURN gds.util.asNode(nodeId).id AS id, score",
        {"name": "artists-directed", "damping": DAMPING},
        write=True,
    ).rows
    theirs = {r["id"]: r["score"] for r in rows}
    assert set(theirs) == set(ours) and len(ours) > 100
    ids = sorted(ours)
    rho = spearmanr([ours[i] for i in ids], [theirs[i] for i in ids]).statistic
    print(f"PageRank networkx vs GDS over {len(ids)} artists: Spearman {rho:.4f}")
    assert rho >= 0.99


def test_louvain_modularity_agrees_with_gds(datathon_neo4j: GraphStore) -> None:
    graph = project_artists(datathon_neo4j)
    flat = undirected(graph)
    ours = louvain(graph)
    _project(datathon_neo4j, "artists-undirected", undirected_graph=True)
    rows = datathon_neo4j.cypher(
        "CALL gds.louvain.stream($name, {relationshipWeightProperty: 'weight'}) "
        "YIELD nodeId, communityId RETURN gds.util.asNode(nodeId).id AS id, communityId",
        {"name": "artists-undirected"},
        write=True,
    ).rows
    theirs = {r["id"]: r["communityId"] for r in rows}
    assert set(theirs) == set(ours)

    def modularity(assignment: dict[str, int]) -> float:
        groups: dict[int, set[str]] = {}
        for node, community in assignment.items():
            groups.setdefault(community, set()).add(node)
        return nx.community.modularity(flat, groups.values(), weight="weight")

    q_ours, q_theirs = modularity(ours), modularity(theirs)
    print(f"Louvain modularity networkx {q_ours:.4f} vs GDS {q_theirs:.4f}")
    assert q_ours > 0.2  # a real community structure, not a trivial split
    assert abs(q_ours - q_theirs) <= 0.02
