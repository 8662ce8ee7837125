"""Small helpers shared by tests: run the real CLI in a subprocess, count things in a graph."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from graphkit.store import GraphStore


def cli_env(
    data_dir: Path,
    graph: str | None = None,
    store: GraphStore | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a `graphkit` subprocess on DATA_DIR and STORE's graph (or GRAPH's)."""
    full_env = {**os.environ, "GRAPHKIT_DATA_DIR": str(data_dir)}
    for name in ("GRAPHKIT_GRAPH", "GRAPHKIT_GRAPH_NAME", "NEO4J_USER", "NEO4J_PASSWORD"):
        full_env.pop(name, None)
    if store is not None:
        full_env.update(store.cli_env)  # type: ignore[attr-defined]
    if graph:
        full_env["GRAPHKIT_GRAPH"] = graph
    full_env.update(env or {})
    return full_env


def run_cli(
    *args: str,
    data_dir: Path,
    graph: str | None = None,
    store: GraphStore | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run `graphkit ARGS` in a subprocess. With STORE it works on that test graph (whichever
    engine the test runs on); with GRAPH on that GRAPHKIT_GRAPH; else on DATA_DIR's embedded
    default. ENV adds variables."""
    return subprocess.run(
        [sys.executable, "-m", "graphkit.cli", *args],
        env=cli_env(data_dir, graph, store, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Interrupted(RuntimeError):
    pass


class FailingAfter(GraphStore):
    """The real store, cut off after N write transactions, as a crash or Ctrl-C would."""

    def __init__(self, inner: GraphStore, writes: int) -> None:
        super().__init__(inner.engine, inner.library)
        self.left = writes

    def write(self, name: str, **params: object):  # type: ignore[override]
        if self.left == 0:
            raise Interrupted(f"interrupted before {name}")
        self.left -= 1
        return super().write(name, **params)


def count(store: GraphStore, pattern: str, params: dict | None = None) -> int:
    """count(*) over a MATCH pattern, e.g. count(store, "(a:Artist)")."""
    return int(store.cypher(f"MATCH {pattern} RETURN count(*) AS n", params or {}).value("n"))


def label_counts(store: GraphStore) -> dict[str, int]:
    return {r["label"]: r["count"] for r in store.read("stats/label_counts").rows}


def rel_counts(store: GraphStore) -> dict[str, int]:
    return {r["type"]: r["count"] for r in store.read("stats/relationship_counts").rows}


def free_port() -> int:
    """A TCP port nothing listens on now (for servers the tests start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
