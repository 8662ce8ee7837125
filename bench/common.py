"""What the benchmarks share: where the data is, a fresh embedded graph populated from it, and
fresh graphs on either engine (the embedded FalkorDB, a local Neo4j 5.26)."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.engines.neo4j_engine import Neo4jEngine
from graphkit.neo4j_local import LocalNeo4j, empty_database
from graphkit.populate import populate_all
from graphkit.schema import apply_schema
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def arguments(doc: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data directory")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")
    return parser


@contextmanager
def populated_graph(data: Path) -> Iterator[tuple[GraphStore, Path]]:
    """A fresh embedded graph populated from DATA, in a temporary data directory that is also
    set as GRAPHKIT_DATA_DIR, so `graphkit` commands run by the benchmark use the same graph."""
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        os.environ["GRAPHKIT_DATA_DIR"] = tmp
        os.environ.pop("GRAPHKIT_GRAPH", None)
        with open_store(Settings.from_env()) as store:
            start = time.perf_counter()
            populate_all(store, data, progress=False, reports_dir=Path(tmp) / "reports")
            print(
                f"populated every source from {data} in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            yield store, Path(tmp)


# A fresh graph with the schema applied, on the engine being measured.
FreshGraph = Callable[[str], GraphStore]


@contextmanager
def falkordb(tmp: Path) -> Iterator[FreshGraph]:
    server = EmbeddedServer(tmp / "graph")
    server.ensure_started()

    def fresh(name: str) -> GraphStore:
        store = GraphStore(
            FalkorEngine(graph_name=name, where=name, unix_socket=server.socket_path)
        )
        apply_schema(store)
        return store

    try:
        yield fresh
    finally:
        server.stop(compact=False)


@contextmanager
def neo4j(tmp: Path) -> Iterator[FreshGraph]:
    local = LocalNeo4j(tmp / "neo4j")
    server = local.start()

    def fresh(_name: str) -> GraphStore:
        # Community edition has one database per server: empty it instead of making another.
        empty_database(server.uri, user="neo4j", password=server.password)
        store = GraphStore(Neo4jEngine(server.uri, user="neo4j", password=server.password))
        apply_schema(store)
        return store

    try:
        yield fresh
    finally:
        local.stop()


ENGINES = {"falkordb": ("embedded FalkorDB", falkordb), "neo4j": ("local Neo4j 5.26", neo4j)}
