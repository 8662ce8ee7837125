"""Populate: read a source, apply the schema, load it, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphkit.loader import DEFAULT_BATCH_SIZE, LoadSummary
from graphkit.schema import apply_schema
from graphkit.sources import DEFAULT_SUBDIRS
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, sources_under, sync_source

SOURCES = tuple(DEFAULT_SUBDIRS)


def populate_source(
    store: GraphStore,
    source: str,
    path: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    reports_dir: Path | None = None,
) -> LoadSummary:
    """Write every row of SOURCE (changed or not) and record its files, as `graphkit sync`
    does for the rows that changed; rows the source no longer states are counted, not
    removed (`graphkit sync --prune` removes them)."""
    apply_schema(store)
    options = SyncOptions(batch_size=batch_size, progress=progress, reports_dir=reports_dir)
    result = sync_source(store, source, Path(path), options, force=True)
    assert result.load is not None  # a forced sync always loads
    return result.load


def populate_all(
    store: GraphStore,
    data_dir: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    reports_dir: Path | None = None,
    on_summary: Callable[[LoadSummary], None] | None = None,
) -> list[LoadSummary]:
    """Every source found under DATA_DIR, in the readers' order. A source whose folder is
    absent is an error, so a typo in the path does not pass as an empty load."""
    summaries = []
    for source, path in sources_under(data_dir):
        summary = populate_source(
            store,
            source,
            path,
            batch_size=batch_size,
            progress=progress,
            reports_dir=reports_dir,
        )
        summaries.append(summary)
        if on_summary:
            on_summary(summary)
    return summaries
