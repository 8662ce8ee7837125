"""Populate: read a source, apply the schema, load it, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphkit.errors import SourceError
from graphkit.loader import DEFAULT_BATCH_SIZE, Loader, LoadSummary
from graphkit.schema import apply_schema
from graphkit.sources import DEFAULT_SUBDIRS, readers
from graphkit.store import GraphStore

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
    available = readers()
    if source not in available:
        raise SourceError(f"unknown source {source!r}: choose one of {', '.join(available)}")
    apply_schema(store)
    batch = available[source](Path(path))
    loader = Loader(store, batch_size=batch_size, progress=progress, reports_dir=reports_dir)
    return loader.load(batch)


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
    data_dir = Path(data_dir)
    missing = [sub for sub in DEFAULT_SUBDIRS.values() if not (data_dir / sub).is_dir()]
    if missing:
        raise SourceError(f"{data_dir} lacks the source folder(s) {', '.join(missing)}")
    summaries = []
    for source, sub in DEFAULT_SUBDIRS.items():
        summary = populate_source(
            store,
            source,
            data_dir / sub,
            batch_size=batch_size,
            progress=progress,
            reports_dir=reports_dir,
        )
        summaries.append(summary)
        if on_summary:
            on_summary(summary)
    return summaries
