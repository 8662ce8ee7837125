"""Fixtures: every graph test runs on both engines, the embedded FalkorDB and Neo4j 5.

`graphs` (parametrised over the engines) hands out fresh, empty graphs; `store` is one of them,
`store_factory` makes several, and `populated` is one graph loaded from every source in
../shared/data, shared by read-only tests. Neo4j is the server at NEO4J_URI (a comma-separated
list gives the pool several servers; the tests EMPTY them), or else a local Neo4j 5.26 that the
session starts from tools/neo4j-local and stops at the end. Without Java 17+ and Maven the
Neo4j half is skipped with the reason, unless GRAPHKIT_REQUIRE_NEO4J=1 (set by `./run tests`
where they are installed) makes that an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graphkit.engines.embedded import EmbeddedServer
from graphkit.errors import GraphkitError
from graphkit.store import GraphStore
from tests.graphs import ENGINES, FalkorGraphs, Neo4jGraphs

# The shared fixtures live in these modules. Registered here, each session-scoped fixture
# exists once per session; imported into every test module by hand, as they once were, each
# module got its own copy (the detectors and the tiny Lite0 were trained again in every API
# module: 200 s of setup each).
pytest_plugins = [
    "tests.ml_helpers",
    "tests.movement_helpers",
    "tests.detector_helpers",
    "tests.api_helpers",
    "tests.prediction_helpers",
    "tests.review_helpers",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("GRAPHKIT_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
# Two graphs live for the whole session (`populated`, and the API tests' `api_graph`), the
# module-scoped ones of the modules running at a time beside them, and a test's own.
NEO4J_TEST_SERVERS = int(os.environ.get("NEO4J_TEST_SERVERS", "6"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "datathon").is_dir():
        pytest.fail(f"the shared data is not at {SHARED_DATA}; set GRAPHKIT_SHARED_DATA")
    return SHARED_DATA


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """The embedded FalkorDB server of this test session (FalkorDB-only tests use it directly)."""
    server = EmbeddedServer(tmp_path_factory.mktemp("embedded-graph"))
    server.ensure_started()
    yield server
    server.stop(compact=False)


@pytest.fixture(scope="session")
def neo4j_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jGraphs]:
    external = os.environ.get("NEO4J_URI")
    if external:
        yield Neo4jGraphs(
            uris=[u.strip() for u in external.split(",") if u.strip()],
            password=os.environ.get("NEO4J_PASSWORD", ""),
            user=os.environ.get("NEO4J_USER", "neo4j"),
            dirty=set(external.split(",")),
        )
        return
    from graphkit.neo4j_local import LocalNeo4j

    local = LocalNeo4j(tmp_path_factory.mktemp("neo4j-local"))
    try:
        # watch_pid: the server exits with this test process, even if it is killed.
        server = local.start(instances=NEO4J_TEST_SERVERS, watch_pid=os.getpid())
    except GraphkitError as exc:
        reason = f"no Neo4j for the tests (set NEO4J_URI, or install Java 17+ and Maven): {exc}"
        if os.environ.get("GRAPHKIT_REQUIRE_NEO4J") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield Neo4jGraphs(uris=server.uris, password=server.password, pid=server.pid)
    finally:
        local.stop()


@pytest.fixture(scope="session", params=ENGINES)
def graphs(
    request: pytest.FixtureRequest, graph_server: EmbeddedServer
) -> FalkorGraphs | Neo4jGraphs:
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_pool")
    return FalkorGraphs(graph_server)


@pytest.fixture
def engine_kind(graphs: FalkorGraphs | Neo4jGraphs) -> str:
    return graphs.kind


@pytest.fixture
def store_factory(graphs: FalkorGraphs | Neo4jGraphs) -> Iterator[Callable[[], GraphStore]]:
    """Make stores on fresh, empty graphs; they are dropped after the test."""
    made: list[GraphStore] = []

    def make() -> GraphStore:
        store = graphs.acquire()
        made.append(store)
        return store

    yield make
    for store in made:
        graphs.release(store)


@pytest.fixture
def store(store_factory: Callable[[], GraphStore]) -> GraphStore:
    return store_factory()


@pytest.fixture(scope="session")
def populated(
    graphs: FalkorGraphs | Neo4jGraphs, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """Every source in ../shared/data, loaded once per engine. Tests must not change it."""
    from graphkit.populate import populate_all

    store = graphs.acquire()
    reports = tmp_path_factory.mktemp("reports")
    summaries = populate_all(store, shared_data, progress=False, reports_dir=reports)
    store.summaries = summaries  # type: ignore[attr-defined]
    store.reports_dir = reports  # type: ignore[attr-defined]
    yield store
    graphs.release(store)


@pytest.fixture
def neo4j_store(neo4j_pool: Neo4jGraphs) -> Iterator[GraphStore]:
    """A fresh graph on Neo4j only, for tests about the Neo4j engine itself."""
    store = neo4j_pool.acquire()
    yield store
    neo4j_pool.release(store)


@pytest.fixture
def falkor_store(graph_server: EmbeddedServer) -> Iterator[GraphStore]:
    """A fresh graph on the embedded FalkorDB only, for tests about that engine itself."""
    graphs = FalkorGraphs(graph_server)
    store = graphs.acquire()
    yield store
    graphs.release(store)


# The fast tier (`./run tests --fast`): unit tests and the embedded engine on small slices.
# A test is left to the full suite when it runs on Neo4j or is about it (marked neo4j), is
# marked slow, or needs one of the fixtures that load whole sources or train models.
FULL_SUITE_FIXTURES = frozenset(
    {"neo4j_pool", "populated", "api_graph", "models", "lite0", "image_graph", "slice_dir"}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="only the fast tier: no Neo4j, no whole sources, no training (a few minutes)",
    )


def full_suite_only(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    on_neo4j = callspec is not None and callspec.params.get("graphs") == "neo4j"
    heavy = FULL_SUITE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    marked = any(item.get_closest_marker(name) for name in ("slow", "neo4j"))
    return on_neo4j or bool(heavy) or marked


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--fast"):
        return
    kept = [item for item in items if not full_suite_only(item)]
    config.hook.pytest_deselected(items=[item for item in items if full_suite_only(item)])
    items[:] = kept
