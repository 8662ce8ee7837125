"""FalkorDB through its official client, over a unix socket (embedded) or TCP."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FalkorPath
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphkit.engines.base import COUNTER_NAMES, READ_MARGIN_S, Result
from graphkit.engines.falkor_params import params_header
from graphkit.engines.values import NOT_MINE, path_value, to_plain
from graphkit.errors import GraphUnavailable, QueryError, QueryTimeout


def _convert(value: Any, walk: Callable[[Any], Any]) -> Any:
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels or []), **walk(value.properties or {})}
    if isinstance(value, Edge):
        return {"_type": value.relation, **walk(value.properties or {})}
    if isinstance(value, FalkorPath):
        return path_value(value.nodes(), value.edges(), walk)
    return NOT_MINE


def plain(value: Any) -> Any:
    """Client objects to maps and lists, so callers never see which engine answered."""
    return to_plain(value, _convert)


class FalkorEngine:
    dialect = "falkordb"

    def __init__(
        self,
        *,
        graph_name: str,
        where: str,
        unix_socket: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        password: str | None = None,
        timeout_s: float = 10.0,
        query_timeout_s: float | None = None,
    ) -> None:
        self.graph_name = graph_name
        self._where = where
        # The server stops a query at the limit (milliseconds); the socket gives up waiting a
        # little later, so a hung or paused server cannot hold a caller for ever.
        self._timeout_ms = max(1, round(query_timeout_s * 1000)) if query_timeout_s else None
        read_timeout = query_timeout_s + READ_MARGIN_S if query_timeout_s else None
        # With a time limit, a timed-out read is not sent again (redis-py would retry three
        # times, four times the wait, and run a write twice); the caller reconnects instead.
        retry = {"retry": Retry(NoBackoff(), 0)} if query_timeout_s else {}
        try:
            if unix_socket:
                self._db = FalkorDB(
                    unix_socket_path=unix_socket,
                    socket_timeout=read_timeout,
                    socket_connect_timeout=timeout_s,
                    **retry,
                )
            else:
                self._db = FalkorDB(
                    host=host,
                    port=port,
                    password=password,
                    socket_timeout=read_timeout,
                    socket_connect_timeout=timeout_s,
                    **retry,
                )
            self._db.connection.ping()
        # AuthenticationError is a ConnectionError: it must be caught first.
        except (redis.AuthenticationError, redis.AuthenticationWrongNumberOfArgsError) as exc:
            raise GraphUnavailable(f"FalkorDB at {where} refused the password: {exc}") from exc
        except redis.ResponseError as exc:
            if "NOAUTH" in str(exc) or "WRONGPASS" in str(exc):
                raise GraphUnavailable(f"FalkorDB at {where} needs a password: {exc}") from exc
            raise GraphUnavailable(f"FalkorDB at {where} answered: {exc}") from exc
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"cannot reach FalkorDB at {where}: {exc}") from exc
        self._graph = self._db.select_graph(graph_name)

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Result:
        try:
            text = params_header(params or {}) + cypher
            if write:
                res = self._graph.query(text, timeout=self._timeout_ms)
            else:
                res = self._graph.ro_query(text, timeout=self._timeout_ms)
        except redis.TimeoutError as exc:
            raise GraphUnavailable(
                f"FalkorDB at {self._where} did not answer in time (hung or paused?): {exc}"
            ) from exc
        except redis.ConnectionError as exc:
            raise GraphUnavailable(
                f"lost the connection to FalkorDB at {self._where}: {exc}"
            ) from exc
        except redis.ResponseError as exc:
            if "timed out" in str(exc).lower():
                raise QueryTimeout(
                    f"the query ran past the {self._timeout_ms / 1000:g} s limit "
                    "(GRAPHKIT_QUERY_TIMEOUT) and FalkorDB stopped it"
                ) from exc
            if not write and "empty key" in str(exc):
                # A graph never written to does not exist yet and refuses reads: create it
                # empty with a no-op, then read.
                self._graph.query("RETURN 0")
                return self.run(cypher, params, write=False)
            if not write and "read-only" in str(exc):
                raise QueryError(
                    "the query writes to the graph, which read-only mode refuses: "
                    "allow it explicitly (graphkit cypher --write)"
                ) from exc
            raise QueryError(f"FalkorDB rejected the query: {exc}") from exc
        columns = [str(h[1]) if isinstance(h, list | tuple) else str(h) for h in res.header or []]
        rows = [dict(zip(columns, plain(r), strict=False)) for r in res.result_set or []]
        counters = {name: int(getattr(res, name, 0) or 0) for name in COUNTER_NAMES}
        return Result(columns, rows, counters)

    def command(self, *args: str) -> Any:
        try:
            return self._db.connection.execute_command(*args)
        except redis.ResponseError as exc:
            raise QueryError(f"FalkorDB rejected {args[0]}: {exc}") from exc

    def describe(self) -> str:
        return f"FalkorDB graph {self.graph_name!r} at {self._where}"

    def close(self) -> None:
        # Closing a dead connection is not an error worth reporting.
        with contextlib.suppress(Exception):
            self._db.connection.close()
