"""Time bounds, live on each engine: a query past GRAPHKIT_QUERY_TIMEOUT is stopped by the
engine and answered 503 naming the cause, and the app serves the next request; a database
process that is paused (SIGSTOP) costs each request a bounded wait, not a hung worker, and
once it resumes (SIGCONT) the app recovers by itself, having lost nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, jsonify

from api import create_app, db
from graphkit.engines.base import READ_MARGIN_S
from graphkit.store import GraphStore
from tests.api_helpers import api_settings, error_of
from tests.graphs import FalkorGraphs, Neo4jGraphs

LIMIT_S = 1.0
# 8 billion combinations: minutes of work that the engine must stop at the limit.
SLOW = "MATCH (a:Slow), (b:Slow), (c:Slow) WHERE a.i + b.i + c.i = -1 RETURN count(*) AS n"


def _app(store: GraphStore, tmp_path: Path, shared_data: Path) -> Flask:
    # No models: these requests read the graph only.
    settings = api_settings(
        store, tmp_path, shared_data, tmp_path / "models", GRAPHKIT_QUERY_TIMEOUT=str(LIMIT_S)
    )
    assert settings.graph.query_timeout_s == LIMIT_S
    app = create_app(settings)

    @app.get("/test/slow")  # a route of this test only: the API has no query this slow
    def slow() -> Response:
        return jsonify(db.with_store(lambda s: s.cypher(SLOW).rows))

    return app


def _artworks(app: Flask) -> int:
    response = app.test_client().get("/api/stats")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["labels"].get("Artwork", 0)


@contextlib.contextmanager
def paused(pid: int) -> Iterator[None]:
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_a_query_past_the_limit_is_a_503_and_the_next_request_is_served(
    store: GraphStore, tmp_path: Path, shared_data: Path
) -> None:
    store.cypher("UNWIND range(1, 2000) AS i CREATE (:Slow {i: i})", write=True)
    store.cypher(
        "UNWIND range(1, 7) AS i CREATE (:Artwork {id: 'slow:' + toString(i)})", write=True
    )
    app = _app(store, tmp_path, shared_data)
    client = app.test_client()
    started = time.monotonic()
    message = error_of(client.get("/test/slow"), 503, "query_timeout")
    took = time.monotonic() - started
    assert "1 s limit" in message and "GRAPHKIT_QUERY_TIMEOUT" in message
    assert took < LIMIT_S + READ_MARGIN_S, took
    assert _artworks(app) == 7  # the same connection serves the next request
    app.extensions["graphkit_store"].close()


@pytest.mark.slow  # waits out its time limits on purpose
def test_a_paused_database_costs_bounded_waits_and_the_app_recovers(
    store: GraphStore,
    graphs: FalkorGraphs | Neo4jGraphs,
    tmp_path: Path,
    shared_data: Path,
) -> None:
    if graphs.pid is None:
        pytest.skip("an external Neo4j: its process is not this machine's to pause")
    store.cypher(
        "UNWIND range(1, 5) AS i CREATE (:Artwork {id: 'pause:' + toString(i)})", write=True
    )
    app = _app(store, tmp_path, shared_data)
    client = app.test_client()
    assert _artworks(app) == 5
    with paused(graphs.pid):
        started = time.monotonic()
        message = error_of(client.get("/api/stats"), 503, "graph_unavailable")
        assert time.monotonic() - started < LIMIT_S + READ_MARGIN_S + 3, message
        # One request reconnects (a bounded wait of its own); the others fail fast meanwhile.
        reconnecting: list[int] = []
        first = threading.Thread(
            target=lambda: reconnecting.append(app.test_client().get("/api/stats").status_code)
        )
        first.start()
        time.sleep(0.5)
        started = time.monotonic()
        message = error_of(client.get("/api/stats"), 503, "graph_unavailable")
        assert time.monotonic() - started < 1.0, message
        assert "reconnecting" in message
        first.join(timeout=30)
        assert not first.is_alive() and reconnecting == [503]
    deadline = time.monotonic() + 30
    while client.get("/api/stats").status_code != 200:
        assert time.monotonic() < deadline, "the app did not recover after SIGCONT"
        time.sleep(0.5)
    assert _artworks(app) == 5  # nothing lost
    app.extensions["graphkit_store"].close()
