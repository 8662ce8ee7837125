"""Neo4j 5 through the official driver: one driver, a short session per call.

Decisions (each tested against a live Neo4j 5.26):
- The database is NEO4J_DATABASE, else the server's home database. GRAPHKIT_GRAPH_NAME names
  FalkorDB graphs and is ignored here (Community edition has one user database); a database
  that is named but does not exist is reported when connecting, not at the first query.
- Reads run in read transactions, so a write without `--write` is refused as on FalkorDB.
- `CALL { ... } IN TRANSACTIONS` cannot run inside a managed transaction: such a write runs as
  an auto-commit query (it batches its own commits).
- Values come back plain (see graphkit.engines.values); a parameter the driver cannot send is
  a QueryError naming it, a URI the driver cannot parse a ConfigError.
- With a query time limit, each transaction carries it (the server stops the query: a
  QueryTimeout), and the caller waits at most a few seconds longer for any answer: the driver
  has no socket read timeout of its own, so a hung or paused server would otherwise hold the
  calling thread for as long as the server's keep-alive hint (two minutes by default).
"""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Callable
from typing import Any

import neo4j
from neo4j import GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from graphkit.engines.base import READ_MARGIN_S, Result
from graphkit.engines.values import NOT_MINE, path_value, to_plain
from graphkit.errors import ConfigError, GraphUnavailable, QueryError, QueryTimeout
from graphkit.redact import redact_uri

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
IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
READ_ONLY_HINT = (
    "the query writes to the graph, which read-only mode refuses: "
    "allow it explicitly (graphkit cypher --write)"
)


def _convert(value: Any, walk: Callable[[Any], Any]) -> Any:
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **walk(dict(value))}
    if isinstance(value, Relationship):
        return {"_type": value.type, **walk(dict(value))}
    if isinstance(value, Path):
        return path_value(list(value.nodes), list(value.relationships), walk)
    if isinstance(value, DateTime | Date | Time):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value.iso_format())
    if isinstance(value, Point):
        coords = dict(zip(("x", "y", "z"), value, strict=False))
        return {"srid": value.srid, **coords}
    return NOT_MINE


def plain(value: Any) -> Any:
    return to_plain(value, _convert)


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
        query_timeout_s: float | None = None,
    ) -> None:
        self._uri = redact_uri(uri)
        self._database = database or None
        self._query_timeout_s = query_timeout_s
        # Queries wait on these threads when there is a time limit (see the module's notes).
        self._waiters = (
            concurrent.futures.ThreadPoolExecutor(16, thread_name_prefix="neo4j-query")
            if query_timeout_s
            else None
        )
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=timeout_s,
                # Also bounds the handshake: a paused server accepts the TCP connection and
                # then never answers HELLO.
                connection_acquisition_timeout=timeout_s,
                max_transaction_retry_time=timeout_s,
                # The server's hints ("property `row_hashes` does not exist" on a graph not
                # written yet) are no errors; the driver would log each one on stderr.
                notifications_min_severity=NotificationMinimumSeverity.OFF,
            )
        except (ConfigurationError, ValueError) as exc:
            raise ConfigError(f"{self._uri!r} is not a usable Neo4j URI: {exc}") from exc
        try:
            self._check_database()
        except AuthError as exc:
            self._driver.close()
            raise GraphUnavailable(
                f"Neo4j at {self._uri} refused the credentials for user {user!r}: "
                "set NEO4J_USER and NEO4J_PASSWORD"
            ) from exc
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            self._driver.close()
            raise GraphUnavailable(f"cannot reach Neo4j at {self._uri}: {exc}") from exc
        except ValueError as exc:  # an address the driver only resolves when it connects
            self._driver.close()
            raise ConfigError(f"{self._uri!r} is not a usable Neo4j URI: {exc}") from exc
        except Neo4jError as exc:
            self._driver.close()
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise GraphUnavailable(
                    f"Neo4j at {self._uri} has no database {self._database!r}; "
                    "set NEO4J_DATABASE to one it has, or leave it unset for the server's default"
                ) from exc
            raise GraphUnavailable(f"Neo4j at {self._uri} refused the connection: {exc}") from exc

    def _check_database(self) -> None:
        with self._driver.session(database=self._database) as session:
            session.run("RETURN 1").consume()

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Result:
        if self._waiters is None:
            return self._run(cypher, params, write)
        waited = self._query_timeout_s + READ_MARGIN_S  # type: ignore[operator]
        try:
            future = self._waiters.submit(self._run, cypher, params, write)
        except RuntimeError as exc:  # closed under us by another thread
            raise GraphUnavailable(f"the connection to Neo4j at {self._uri} is closed") from exc
        try:
            return future.result(timeout=waited)
        except concurrent.futures.TimeoutError:
            raise GraphUnavailable(
                f"Neo4j at {self._uri} did not answer within {waited:g} s (hung or paused?)"
            ) from None

    def _run(self, cypher: str, params: dict[str, Any] | None, write: bool) -> Result:
        @neo4j.unit_of_work(timeout=self._query_timeout_s)
        def work(tx: neo4j.ManagedTransaction | neo4j.Session, query: Any = cypher) -> Result:
            cursor = tx.run(query, params or {})
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
                if write and IN_TRANSACTIONS.search(cypher):
                    query = neo4j.Query(cypher, timeout=self._query_timeout_s)  # type: ignore[arg-type]
                    return work(session, query)
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)
        except Exception as exc:
            if _interrupted(exc):
                # Ctrl-C landed inside the driver's send: closing the session then sent on a
                # half-written stream, and the server's complaint must not hide the interrupt.
                raise KeyboardInterrupt from exc
            error = self._error(exc)
            if error is exc:
                raise
            raise error from exc

    def _error(self, exc: Exception) -> Exception:
        """The graphkit error for what the driver raised (EXC itself when it is none of these)."""
        if isinstance(exc, ServiceUnavailable | SessionExpired | DatabaseUnavailable):
            return GraphUnavailable(f"lost the connection to Neo4j at {self._uri}: {exc}")
        if isinstance(exc, Neo4jError):
            if "TransactionTimedOut" in (exc.code or ""):
                return QueryTimeout(
                    f"the query ran past the {self._query_timeout_s:g} s limit "
                    "(GRAPHKIT_QUERY_TIMEOUT) and Neo4j stopped it"
                )
            if not isinstance(exc, ClientError):
                return QueryError(f"Neo4j: {exc.message or exc}")
            if exc.code == "Neo.ClientError.Statement.AccessMode":
                return QueryError(READ_ONLY_HINT)
            return QueryError(f"Neo4j rejected the query: {exc.message or exc}")
        if isinstance(exc, TypeError | ValueError):
            # The driver refuses values it cannot send (sets, bytes-like objects, NaN keys...).
            return QueryError(f"Neo4j cannot take a parameter of this query: {exc}")
        return exc

    def command(self, *args: str) -> Any:
        raise QueryError(f"Neo4j has no engine command {args[0]!r}; use Cypher")

    def describe(self) -> str:
        where = f"database {self._database!r}" if self._database else "its default database"
        return f"Neo4j at {self._uri}, {where}"

    def close(self) -> None:
        if self._waiters is not None:
            # A thread still waiting on a hung server ends when its socket is closed below.
            self._waiters.shutdown(wait=False, cancel_futures=True)
        self._driver.close()


def _interrupted(exc: BaseException) -> bool:
    """Whether EXC was raised while a KeyboardInterrupt was being handled."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False
