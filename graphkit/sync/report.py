"""How a sync reads for people: per source, the files that changed and the rows added,
changed, unchanged and removed; then the re-scoring; then one summary line."""

from __future__ import annotations

from graphkit.output import table
from graphkit.sync.run import SourceSync, SyncReport

EXAMPLES = 3  # row ids named per kind of change


def _files(result: SourceSync) -> str:
    changes = result.files
    if not result.read:
        return "files unchanged since the last load: skipped"
    if not changes.count():
        return "files unchanged, read again (rows kept at the last sync, or never recorded)"
    named = [*changes.changed, *changes.added, *changes.removed][:EXAMPLES]
    more = "" if changes.count() <= EXAMPLES else ", …"
    return (
        f"{len(changes.changed)} file(s) changed, {len(changes.added)} added, "
        f"{len(changes.removed)} removed ({', '.join(named)}{more})"
    )


def source_text(result: SourceSync, dry_run: bool) -> str:
    lines = [f"{result.source}: {_files(result)}"]
    delta = result.delta
    if delta is None:
        if result.kept:
            lines.append(f"  {result.kept} row(s) gone from the source are kept (--prune)")
        return "\n".join(lines)
    rows = [
        (
            kind,
            len(delta.added.get(kind, [])),
            len(delta.changed.get(kind, [])),
            delta.unchanged.get(kind, 0),
            len(delta.removed.get(kind, [])),
        )
        for kind in delta.kinds()
        if kind in delta.added or kind in delta.changed or kind in delta.removed
    ]
    if rows:
        lines.append(table(("kind", "added", "changed", "unchanged", "removed"), rows))
    lines.append(f"  {delta.total('unchanged')} row(s) unchanged")
    for part in ("added", "changed", "removed"):
        for kind, keys in getattr(delta, part).items():
            ids = ", ".join(ident.replace("|", " -> ") for _, ident in keys[:EXAMPLES])
            lines.append(f"  {part} {kind}: {ids}{', …' if len(keys) > EXAMPLES else ''}")
    removed = delta.total("removed")
    if result.pruned and (removed or result.pruned.deleted_nodes):
        p = result.pruned
        lines.append(
            f"  pruned: {p.released_nodes} node(s) and {p.released_relationships} "
            f"relationship(s) released; {p.deleted_nodes} node(s), {p.deleted_relationships} "
            f"relationship(s) and {p.deleted_predictions} prediction(s) no source states "
            "deleted"
        )
    elif removed:
        verb = "would be kept" if dry_run else "kept"
        lines.append(f"  {removed} row(s) gone from the source {verb}: --prune removes them")
    return "\n".join(lines)


def summary_line(report: SyncReport, dry_run: bool, prune: bool) -> str:
    removed = report.total("removed")
    fate = "pruned" if prune else "kept"
    rescored = sum(r.report.scored for r in report.rescored if r.report)
    if dry_run:
        rescored = sum(sum(r.report.selected.values()) for r in report.rescored if r.report)
    head = "dry run, nothing changed: would add" if dry_run else "sync: added"
    return (
        f"{head} {report.total('added')}, changed {report.total('changed')}, removed "
        f"{removed} ({fate if removed else 'none'}), re-scored {rescored} prediction(s) of "
        f"{sum(1 for r in report.rescored if r.report and r.report.selected)} model(s)"
    )
