"""A dead database: the API answers 503 with a clear message while it is down, and recovers by
itself when it is back, losing nothing. The graph server is stopped under a running app and
brought back, on each engine (servers of the test's own, so the shared ones are untouched)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api import create_app
from api.config import ApiSettings
from graphkit.engines.embedded import EmbeddedServer
from graphkit.errors import GraphkitError
from graphkit.store import open_store
from tests.helpers import free_port


def _seed(settings: ApiSettings) -> None:
    with open_store(settings.graph) as store:
        store.cypher(
            "UNWIND range(1, 30) AS i CREATE (:Artwork {id: 'recovery:' + toString(i)})",
            write=True,
        )


def _artworks(client: FlaskClient) -> int:
    response = client.get("/api/stats")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["labels"]["Artwork"]


def _down(client: FlaskClient) -> str:
    response = client.get("/api/stats")
    assert response.status_code == 503, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "graph_unavailable"
    assert error["message"].startswith("the graph database is unavailable")
    return error["message"]


def test_embedded_server_stopped_under_the_app(tmp_path: Path) -> None:
    """The embedded engine's server is the app's own child: the request that finds it dead
    is a 503, and the next one starts it again from its files."""
    env = {"GRAPHKIT_DATA_DIR": str(tmp_path), "GRAPHKIT_GRAPH_NAME": "recovery"}
    settings = ApiSettings.from_env(env)
    _seed(settings)
    app = create_app(settings)
    client = app.test_client()
    server = EmbeddedServer(settings.graph.graph.location)
    try:
        assert _artworks(client) == 30
        assert server.stop()
        assert "FalkorDB" in _down(client)
        assert _artworks(client) == 30  # started again, nothing lost
        assert server.is_running()
    finally:
        app.extensions["graphkit_store"].close()
        server.stop(compact=False)


@pytest.mark.neo4j
def test_neo4j_stopped_and_started_again(tmp_path: Path) -> None:
    from graphkit.neo4j_local import LocalNeo4j

    local = LocalNeo4j(tmp_path / "neo4j")
    port = free_port()
    try:
        server = local.start(port=port)
    except GraphkitError as exc:
        pytest.skip(f"no local Neo4j (Java 17+ and Maven): {exc}")
    env = {
        "GRAPHKIT_DATA_DIR": str(tmp_path),
        "GRAPHKIT_GRAPH": server.uri,
        "NEO4J_PASSWORD": server.password,
        "GRAPHKIT_API_CONNECT_TIMEOUT": "2",
    }
    settings = ApiSettings.from_env(env)
    app = create_app(settings)
    client = app.test_client()
    try:
        _seed(settings)
        assert _artworks(client) == 30
        local.stop()
        assert "Neo4j" in _down(client)
        health = client.get("/api/health")  # still down: still a 503
        assert health.status_code == 503 and health.get_json()["graph"]["reachable"] is False
        local.start(port=port)
        assert _artworks(client) == 30
    finally:
        app.extensions["graphkit_store"].close()
        local.stop()
