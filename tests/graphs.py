"""Fresh, empty test graphs on either engine, handed out by the conftest fixtures.

FalkorDB: one embedded server per test session; each graph is a new graph name on it.
Neo4j: Community edition serves one user database per server, so the local launcher starts a
few servers in one JVM (a pool); a graph is a server from the pool, emptied before it is
handed out (nodes, constraints, indexes). No test pays a server start.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field

import pytest

from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.engines.neo4j_engine import Neo4jEngine
from graphkit.neo4j_local import empty_database
from graphkit.store import GraphStore

ENGINES = ("falkordb-embedded", "neo4j")


class FalkorGraphs:
    kind = "falkordb-embedded"

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server

    @property
    def pid(self) -> int | None:
        return self.server.pid

    def acquire(self) -> GraphStore:
        name = f"test-{uuid.uuid4().hex[:12]}"
        store = GraphStore(
            FalkorEngine(graph_name=name, where=f"test:{name}", unix_socket=self.server.socket_path)
        )
        # What a `graphkit` subprocess needs to open this same graph (helpers.run_cli(store=)).
        store.cli_env = {  # type: ignore[attr-defined]
            "GRAPHKIT_GRAPH": f"embedded:{self.server.directory}",
            "GRAPHKIT_GRAPH_NAME": name,
        }
        return store

    def release(self, store: GraphStore) -> None:
        # A graph never written to does not exist, and cannot be deleted.
        with contextlib.suppress(Exception):
            store.engine.command("GRAPH.DELETE", store.engine.graph_name)  # type: ignore[attr-defined]
        store.close()


@dataclass
class Neo4jGraphs:
    kind = "neo4j"
    uris: list[str]
    password: str
    user: str = "neo4j"
    held: dict[int, str] = field(default_factory=dict)  # id(store) -> its server
    # Servers that may hold data from an earlier test; the others are known to be empty.
    dirty: set[str] = field(default_factory=set)
    pid: int | None = None  # the local servers' process (None for external ones)

    def acquire(self) -> GraphStore:
        free = [uri for uri in self.uris if uri not in self.held.values()]
        if not free:
            pytest.fail(
                f"all {len(self.uris)} Neo4j test servers are in use; a test holds more graphs "
                "at once than the pool has (raise NEO4J_TEST_SERVERS)"
            )
        uri = free[0]
        if uri in self.dirty:
            self.empty(uri)
        self.dirty.add(uri)
        store = GraphStore(Neo4jEngine(uri, user=self.user, password=self.password))
        self.held[id(store)] = uri
        store.cli_env = {  # type: ignore[attr-defined]
            "GRAPHKIT_GRAPH": uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
        }
        return store

    def release(self, store: GraphStore) -> None:
        store.close()
        self.held.pop(id(store), None)

    def empty(self, uri: str) -> None:
        empty_database(uri, user=self.user, password=self.password)


Graphs = FalkorGraphs | Neo4jGraphs
