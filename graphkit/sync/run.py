"""Sync one source, every source under a data directory, or every source the graph records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import SourceError
from graphkit.loader import DEFAULT_BATCH_SIZE, Loader, LoadSummary
from graphkit.sources import DEFAULT_SUBDIRS, readers
from graphkit.store import GraphStore
from graphkit.sync.delta import Delta, compare, stored_hashes
from graphkit.sync.files import FileChanges, hash_source_files
from graphkit.sync.prune import PruneCounts, prune
from graphkit.sync.state import SourceState, read_states, save_state


@dataclass(frozen=True)
class SyncOptions:
    dry_run: bool = False  # work out and report the delta; write nothing
    prune: bool = False  # delete what a source no longer states (else report and keep it)
    batch_size: int = DEFAULT_BATCH_SIZE
    progress: bool = True
    reports_dir: Path | None = None


@dataclass
class SourceSync:
    source: str
    path: Path
    files: FileChanges
    read: bool = True  # False: its files hash as at the last load, so not a row was read
    delta: Delta | None = None
    load: LoadSummary | None = None
    pruned: PruneCounts | None = None
    kept: int = 0  # rows gone from the source, still in the graph (no --prune)

    def count(self, part: str) -> int:
        return self.delta.total(part) if self.delta else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "path": str(self.path),
            "read": self.read,
            "files": self.files.as_dict(),
            "delta": self.delta.as_dict() if self.delta else None,
            "load": self.load.as_dict() if self.load else None,
            "pruned": self.pruned.as_dict() if self.pruned else None,
            "kept": self.kept,
        }


def unknown_source(source: str) -> SourceError:
    return SourceError(f"unknown source {source!r}: choose one of {', '.join(readers())}")


def sync_source(
    store: GraphStore,
    source: str,
    path: Path,
    options: SyncOptions,
    state: SourceState | None = None,
    *,
    force: bool = False,
) -> SourceSync:
    """Bring SOURCE's rows in the graph in line with its files at PATH. STATE is its Source
    node (None: never recorded). FORCE (populate) reads and rewrites every row."""
    if source not in readers():
        raise unknown_source(source)
    files = hash_source_files(path)  # before reading: a file changed meanwhile reads again
    result = SourceSync(source, Path(files.root), files.changes_since(state.files if state else {}))
    unchanged = state is not None and state.files_sha256 == files.digest
    if unchanged and not force and not (options.prune and state.removed):
        result.read, result.kept = False, state.removed
        return result
    loader = Loader(
        store,
        batch_size=options.batch_size,
        progress=options.progress,
        reports_dir=options.reports_dir,
    )
    plan = loader.plan(readers()[source](Path(path)))
    stored = stored_hashes(store, source)
    result.delta = compare(plan.hashes(), stored)
    if options.dry_run:
        return result
    result.load = loader.apply(plan, None if force else stored)
    removed = result.delta.removed_keys()
    if options.prune:  # also when nothing is removed now: a prune cut short left orphans
        result.pruned = prune(store, source, removed)
    else:
        result.kept = len(removed)
    save_state(store, source, files, result.kept)  # last: an interrupted sync reads it again
    return result


@dataclass
class SyncReport:
    sources: list[SourceSync] = field(default_factory=list)
    rescored: list[Any] = field(default_factory=list)  # one report per model, from the hook

    def total(self, part: str) -> int:
        return sum(s.count(part) for s in self.sources)


def sources_under(data_dir: Path) -> list[tuple[str, Path]]:
    """Every source's folder under DATA_DIR, in load order; a missing one is an error, so a
    typo in the path is not taken for sources that lost every row."""
    data_dir = Path(data_dir)
    missing = [sub for sub in DEFAULT_SUBDIRS.values() if not (data_dir / sub).is_dir()]
    if missing:
        raise SourceError(f"{data_dir} lacks the source folder(s) {', '.join(missing)}")
    return [(source, data_dir / sub) for source, sub in DEFAULT_SUBDIRS.items()]


def recorded_sources(states: dict[str, SourceState]) -> list[tuple[str, Path]]:
    """The sources the graph records, in load order, from where they were last loaded."""
    if not states:
        raise SourceError(
            "the graph records no source to sync: name one (graphkit sync SOURCE PATH) or "
            "a data directory (graphkit sync all DATA_DIR)"
        )
    return [(s, states[s].path) for s in readers() if s in states]


def sync(store: GraphStore, targets: list[tuple[str, Path]], options: SyncOptions) -> SyncReport:
    states = read_states(store)
    report = SyncReport()
    for source, path in targets:
        report.sources.append(sync_source(store, source, path, options, states.get(source)))
    return report
