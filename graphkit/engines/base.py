"""The one interface every graph engine offers: run Cypher text, get plain rows back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# How much longer than a query's own time limit to wait for an answer before the server
# counts as hung: the server stops a query at the limit and then still has to reply.
READ_MARGIN_S = 5.0


@dataclass
class Result:
    """Rows as plain dicts (no driver objects) and the write counters the engine reported."""

    columns: list[str]
    rows: list[dict[str, Any]]
    counters: dict[str, int] = field(default_factory=dict)

    def value(self, column: str | None = None, default: Any = None) -> Any:
        """The first row's value in COLUMN (or its only column)."""
        if not self.rows:
            return default
        key = column or self.columns[0]
        return self.rows[0].get(key, default)


class GraphEngine(Protocol):
    """A connection to one graph. Values reach Cypher only through PARAMS."""

    dialect: str  # "neo4j" or "falkordb": picks engine-specific query files

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Result: ...

    def command(self, *args: str) -> Any:
        """An engine command that is not Cypher (FalkorDB's GRAPH.CONSTRAINT); Neo4j has none."""
        ...

    def describe(self) -> str: ...

    def close(self) -> None: ...


COUNTER_NAMES = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "indexes_created",
    "constraints_added",
)
