"""Open the engine that GRAPHKIT_GRAPH names."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from graphkit.engines.base import GraphEngine, Result
from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.errors import ConfigError
from graphkit.settings import Settings

__all__ = ["EmbeddedEngine", "GraphEngine", "Result", "open_engine"]


class EmbeddedEngine(FalkorEngine):
    """FalkorDB on the embedded server; closing it lets the server stop if nobody else uses it."""

    def __init__(
        self,
        directory: Path,
        *,
        graph_name: str,
        timeout_s: float,
        query_timeout_s: float | None = None,
    ) -> None:
        self.server = EmbeddedServer(directory)
        socket = self.server.ensure_started()
        try:
            super().__init__(
                graph_name=graph_name,
                where=f"embedded:{directory}",
                unix_socket=socket,
                timeout_s=timeout_s,
                query_timeout_s=query_timeout_s,
            )
        except BaseException:
            self.server.release()  # a refused connection must not keep the server alive
            raise

    def close(self) -> None:
        super().close()
        self.server.release()


def open_engine(settings: Settings) -> GraphEngine:
    target = settings.graph
    if target.kind == "embedded":
        return EmbeddedEngine(
            Path(target.location),
            graph_name=settings.graph_name,
            timeout_s=settings.connect_timeout_s,
            query_timeout_s=settings.query_timeout_s,
        )
    if target.kind == "neo4j":
        from graphkit.engines.neo4j_engine import Neo4jEngine

        return Neo4jEngine(
            target.location,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            timeout_s=settings.connect_timeout_s,
            query_timeout_s=settings.query_timeout_s,
        )
    if target.kind == "falkordb":
        url = urlparse(target.location)
        if not url.hostname:
            raise ConfigError(f"{target.shown!r} has no host: use falkordb://host:port")
        return FalkorEngine(
            graph_name=settings.graph_name,
            where=target.shown,
            host=url.hostname,
            port=url.port or 6379,
            password=url.password,
            timeout_s=settings.connect_timeout_s,
            query_timeout_s=settings.query_timeout_s,
        )
    raise ConfigError(f"unknown graph kind {target.kind!r}")
