"""Neo4j 5 through the official driver: one driver, a short session per call."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, CypherSyntaxError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Path, Relationship

from graphkit.engines.base import Result
from graphkit.errors import GraphUnavailable, QueryError

COUNTER_MAP = {
    "nodes_created": "nodes_created",
    "nodes_deleted": "nodes_deleted",
    "relationships_created": "relationships_created",
    "relationships_deleted": "relationships_deleted",
    "properties_set": "properties_set",
    "labels_added": "labels_added",
    "indexes_created": "indexes_added",
    "constraints_added": "constraints_added",
}


def plain(value: Any) -> Any:
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Neo4jEngine:
    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._uri = uri
        # "art" is FalkorDB's graph name; Neo4j community has one user database, "neo4j".
        self._database = None if database in (None, "", "art") else database
        self._driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=timeout_s,
            max_transaction_retry_time=timeout_s,
        )
        try:
            self._driver.verify_connectivity()
        except AuthError as exc:
            self._driver.close()
            raise GraphUnavailable(
                f"Neo4j at {uri} refused the credentials for user {user!r}: set NEO4J_USER and "
                "NEO4J_PASSWORD"
            ) from exc
        except (ServiceUnavailable, OSError, Neo4jError) as exc:
            self._driver.close()
            raise GraphUnavailable(f"cannot reach Neo4j at {uri}: {exc}") from exc

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Result:
        def work(tx: neo4j.ManagedTransaction) -> Result:
            cursor = tx.run(cypher, params or {})
            columns = list(cursor.keys())
            rows = [{k: plain(v) for k, v in rec.items()} for rec in cursor]
            counters = cursor.consume().counters
            return Result(
                columns,
                rows,
                {ours: int(getattr(counters, theirs, 0)) for ours, theirs in COUNTER_MAP.items()},
            )

        try:
            with self._driver.session(database=self._database) as session:
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)
        except ServiceUnavailable as exc:
            raise GraphUnavailable(f"lost the connection to Neo4j at {self._uri}: {exc}") from exc
        except CypherSyntaxError as exc:
            raise QueryError(f"Neo4j rejected the query: {exc.message}") from exc
        except Neo4jError as exc:
            raise QueryError(f"Neo4j: {exc.message or exc}") from exc

    def command(self, *args: str) -> Any:
        raise QueryError(f"Neo4j has no engine command {args[0]!r}; use Cypher")

    def describe(self) -> str:
        return f"Neo4j at {self._uri}"

    def close(self) -> None:
        self._driver.close()
