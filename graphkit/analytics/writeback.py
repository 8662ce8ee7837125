"""Write analytics results back onto the graph's nodes, in batches of UNWIND rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphkit.store import GraphStore

DEFAULT_BATCH_SIZE = 5000


def write_rows(
    store: GraphStore,
    query: str,
    rows: Sequence[dict[str, Any]],
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Run QUERY (which UNWINDs $rows and returns `written`) once per batch; rows written."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    written = 0
    for start in range(0, len(rows), batch_size):
        batch = list(rows[start : start + batch_size])
        written += int(store.write(query, rows=batch).value("written", 0) or 0)
        if on_batch:
            on_batch(len(batch))
    return written


# (label, clear query, write query): the clear runs first, so nodes that dropped out of a
# projection since the last run do not keep stale scores.
TARGETS = {
    "artists": ("analytics/clear_artists", "analytics/write_artists"),
    "movements": ("analytics/clear_movements", "analytics/write_movements"),
    "countries": ("analytics/clear_countries", "analytics/write_countries"),
}


def replace_results(
    store: GraphStore,
    target: str,
    rows: Sequence[dict[str, Any]],
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> int:
    clear, write = TARGETS[target]
    store.write(clear)
    return write_rows(store, write, rows, batch_size)
