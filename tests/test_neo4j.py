"""Neo4j 5 tests: run only when NEO4J_URI is set (and NEO4J_USER / NEO4J_PASSWORD).

They EMPTY the database they are pointed at: use a throwaway one, e.g.
  NEO4J_PASSWORD=pw docker compose up -d neo4j
  NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=pw ./run tests tests/test_neo4j.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.errors import GraphUnavailable
from graphkit.populate import populate_source
from graphkit.schema import apply_schema
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store
from tests.helpers import count
from tests.test_queries import LIBRARY, PARAM, SAMPLE_PARAMS, WRITES

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set"),
]


def neo4j_settings(**overrides: str) -> Settings:
    env = {**os.environ, "GRAPHKIT_GRAPH": os.environ.get("NEO4J_URI", ""), **overrides}
    return Settings.from_env(env)


@pytest.fixture
def neo4j(tmp_path: Path) -> Iterator[GraphStore]:
    with open_store(neo4j_settings(GRAPHKIT_DATA_DIR=str(tmp_path))) as store:
        store.cypher("MATCH (n) DETACH DELETE n", write=True)
        yield store


def test_schema_applies_once(neo4j: GraphStore) -> None:
    apply_schema(neo4j)
    again = apply_schema(neo4j)
    assert again.created == []
    assert "Artist.id unique" in again.existing


def test_populate_is_idempotent_and_merges_artists(
    neo4j: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    for source, sub in (
        ("datathon", "datathon"),
        ("aic", "aic_paintings"),
        ("generated", "ai_generated"),
    ):
        populate_source(neo4j, source, shared_data / sub, progress=False, reports_dir=tmp_path)
    assert count(neo4j, "(w:Artwork)") == 10517 + 171
    monet = neo4j.cypher(
        "MATCH (a:Artist {id: 'artist:claude-oscar-monet'}) RETURN a.sources AS s"
    ).rows
    assert monet and {"datathon", "aic", "generated"} <= set(monet[0]["s"])
    again = populate_source(neo4j, "datathon", shared_data / "datathon", progress=False)
    assert (again.total().created, again.total().updated) == (0, 0)


@pytest.mark.parametrize("name", LIBRARY.names())
def test_every_query_file_runs_on_neo4j(neo4j: GraphStore, name: str) -> None:
    text = neo4j.text(name)
    params = {p: SAMPLE_PARAMS.get(p) for p in PARAM.findall(text)}
    result = neo4j.cypher(text, params, write=bool(WRITES.search(text)))
    assert isinstance(result.rows, list)


def test_wrong_password_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(GraphUnavailable, match="refused the credentials"),
        open_store(
            neo4j_settings(NEO4J_PASSWORD="certainly-wrong", GRAPHKIT_DATA_DIR=str(tmp_path))
        ),
    ):
        pass
