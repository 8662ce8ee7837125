"""Settings from the environment, with defaults that work on a fresh checkout.

GRAPHKIT_GRAPH      embedded:DIR (default embedded:<data dir>/graph), bolt://..., neo4j://...,
                    falkordb://host:port
GRAPHKIT_DATA_DIR   where the embedded graph, reports and outputs live (default <project>/data)
GRAPHKIT_GRAPH_NAME the graph's name inside FalkorDB (default art)
NEO4J_USER, NEO4J_PASSWORD   credentials for bolt:// and neo4j:// URIs
NEO4J_DATABASE      the Neo4j database (default: the server's home database)
GRAPHKIT_QUERY_TIMEOUT  seconds one query may run before the engine stops it, and the longest
                    wait for the database's answer (default: none for commands; the API
                    sets its own, see api.config)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import ConfigError
from graphkit.redact import redact_uri

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    # A source checkout keeps its data beside the code; an installed copy uses the user's dir.
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "data"
    return Path.home() / ".local" / "share" / "graphkit"


def seconds(env: dict[str, str], name: str, default: float | None) -> float | None:
    """A positive number of seconds from ENV[NAME]; DEFAULT when unset or empty."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} must be a number of seconds") from None
    if not 0 < value < 86_400:
        raise ConfigError(f"{name}={raw!r} must be more than 0 and under a day")
    return value


@dataclass(frozen=True)
class GraphTarget:
    """Which engine to talk to and where."""

    kind: str  # "embedded", "neo4j" or "falkordb"
    location: str  # a directory for embedded, a URI otherwise

    @classmethod
    def parse(cls, value: str, data_dir: Path) -> GraphTarget:
        value = value.strip()
        if value in ("", "embedded"):
            return cls("embedded", str(data_dir / "graph"))
        if value.startswith("embedded:"):
            path = Path(value.removeprefix("embedded:")).expanduser()
            return cls("embedded", str(path if path.is_absolute() else Path.cwd() / path))
        if value.startswith(
            ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        ):
            return cls("neo4j", value)
        if value.startswith("falkordb://"):
            return cls("falkordb", value)
        raise ConfigError(
            f"GRAPHKIT_GRAPH={value!r} is not understood: use embedded:DIR, bolt://host:7687, "
            "neo4j://host:7687 or falkordb://host:6379"
        )

    @property
    def shown(self) -> str:
        """The location with any password in it replaced by ***."""
        return redact_uri(self.location)

    def describe(self) -> str:
        return f"{self.kind} ({self.shown})"

    def __repr__(self) -> str:
        return f"GraphTarget(kind={self.kind!r}, location={self.shown!r})"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    graph: GraphTarget
    graph_name: str = "art"
    neo4j_user: str = "neo4j"
    neo4j_password: str = field(default="", repr=False)
    neo4j_database: str | None = None
    connect_timeout_s: float = 10.0
    query_timeout_s: float | None = None  # None: queries may run as long as they need

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("GRAPHKIT_DATA_DIR") or default_data_dir()).expanduser()
        timeout = seconds(env, "GRAPHKIT_CONNECT_TIMEOUT", 10.0)
        query_timeout = seconds(env, "GRAPHKIT_QUERY_TIMEOUT", None)
        return cls(
            data_dir=data_dir,
            graph=GraphTarget.parse(env.get("GRAPHKIT_GRAPH", ""), data_dir),
            graph_name=env.get("GRAPHKIT_GRAPH_NAME", "art"),
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            connect_timeout_s=timeout,
            query_timeout_s=query_timeout,
        )

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"
