"""Fixtures: one real embedded FalkorDB server per test session, a fresh graph per test,
and one graph populated from every source in ../shared/data, shared by read-only tests."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.store import GraphStore

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("GRAPHKIT_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "datathon").is_dir():
        pytest.fail(f"the shared data is not at {SHARED_DATA}; set GRAPHKIT_SHARED_DATA")
    return SHARED_DATA


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("embedded-graph"))
    server.ensure_started()
    yield server
    server.stop()


def connect(server: EmbeddedServer, graph_name: str) -> GraphStore:
    store = GraphStore(
        FalkorEngine(
            graph_name=graph_name, where=f"test:{graph_name}", unix_socket=server.socket_path
        )
    )
    # What a `graphkit` subprocess needs to open this same graph (helpers.run_cli(store=...)).
    store.cli_env = {  # type: ignore[attr-defined]
        "GRAPHKIT_GRAPH": f"embedded:{server.directory}",
        "GRAPHKIT_GRAPH_NAME": graph_name,
    }
    return store


@pytest.fixture
def store_factory(graph_server: EmbeddedServer) -> Iterator[Callable[[], GraphStore]]:
    """Make stores on fresh, empty graphs; they are deleted after the test."""
    made: list[GraphStore] = []

    def make() -> GraphStore:
        store = connect(graph_server, f"test-{uuid.uuid4().hex[:12]}")
        made.append(store)
        return store

    yield make
    for store in made:
        # A graph never written to does not exist, and cannot be deleted.
        with contextlib.suppress(Exception):
            store.engine.command("GRAPH.DELETE", store.engine.graph_name)
        store.close()


@pytest.fixture
def store(store_factory: Callable[[], GraphStore]) -> GraphStore:
    return store_factory()


@pytest.fixture(scope="session")
def populated(
    graph_server: EmbeddedServer, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """Every source in ../shared/data, loaded once. Tests must not change this graph."""
    from graphkit.populate import populate_all

    store = connect(graph_server, "populated")
    summaries = populate_all(
        store, shared_data, progress=False, reports_dir=tmp_path_factory.mktemp("reports")
    )
    store.summaries = summaries  # type: ignore[attr-defined]
    yield store
    store.close()
