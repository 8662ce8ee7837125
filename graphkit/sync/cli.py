"""`graphkit sync [SOURCE PATH | all DATA_DIR] [--dry-run] [--prune]`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphkit.errors import ModelError
from graphkit.loader import DEFAULT_BATCH_SIZE
from graphkit.options import batch_size_option, json_option, progress_option
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store

if TYPE_CHECKING:  # the sync modules (pandas, Pillow) load when the command runs
    from graphkit.sync.run import SyncOptions, SyncReport


def _targets(store: GraphStore, source: str | None, path: Path | None) -> list[tuple[str, Path]]:
    from graphkit.sources import readers
    from graphkit.sync.run import recorded_sources, sources_under, unknown_source
    from graphkit.sync.state import read_states

    if source is None:
        return recorded_sources(read_states(store))
    if path is None:
        raise click.UsageError(f"sync {source} needs a PATH")
    if source == "all":
        return sources_under(path)
    if source not in readers():
        raise unknown_source(source)
    return [(source, path)]


def _rescore(
    settings: Settings, store: GraphStore, report: SyncReport, options: SyncOptions
) -> None:
    from ml.offline import go_offline
    from ml.predict import rescore

    go_offline(settings.data_dir)
    report.rescored = rescore(
        store,
        dry_run=options.dry_run,
        batch_size=options.batch_size,
        progress=options.progress,
        features_dir=settings.data_dir,
    )


@click.command("sync")
@click.argument("source", required=False)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the rows a source no longer has, with the relationships only they supported "
    "(a node another source states stays). Without it they are reported and kept.",
)
@click.option(
    "--rescore/--no-rescore",
    default=True,
    show_default=True,
    help="Afterwards, let the latest version of every model in use score what is new, whose "
    "image changed, or whose current prediction came from an older version.",
)
@batch_size_option(DEFAULT_BATCH_SIZE)
@progress_option("Show progress bars on stderr.")
@json_option()
@click.pass_obj
def sync_command(
    settings: Settings,
    source: str | None,
    path: Path | None,
    dry_run: bool,
    prune: bool,
    rescore: bool,
    batch_size: int,
    progress: bool,
    as_json: bool,
) -> None:
    """Bring the graph in line with the sources: SOURCE from PATH, every source under the data
    directory DATA_DIR (`all DATA_DIR`), or, with no argument, every source the graph records
    from where it was last loaded. Sources whose files are unchanged are skipped unread."""
    from graphkit.schema import apply_schema
    from graphkit.sync.report import source_text, summary_line
    from graphkit.sync.run import SyncOptions, sync

    started = time.perf_counter()
    options = SyncOptions(dry_run, prune, batch_size, progress, settings.reports_dir)
    with open_store(settings) as store:
        click.echo(f"graph: {store.engine.describe()}", err=True)
        targets = _targets(store, source, path)
        if not dry_run:
            apply_schema(store)
        report = sync(store, targets, options)
        if rescore:
            _rescore(settings, store, report, options)
    if as_json:
        click.echo(json.dumps(_as_dict(report, time.perf_counter() - started), default=str))
    else:
        for result in report.sources:
            click.echo(source_text(result, dry_run))
        _echo_rescored(report, dry_run)
        seconds = time.perf_counter() - started
        click.echo(f"{summary_line(report, dry_run, prune)} in {seconds:.1f} s")
    failed = [r for r in report.rescored if r.problem]
    if failed:  # the sources are in line; what is left is that model's files
        raise ModelError(f"{len(failed)} model(s) could not re-score: {failed[0].problem}")


def _echo_rescored(report: SyncReport, dry_run: bool) -> None:
    from ml.predict_cli import predict_lines

    for item in report.rescored:
        if item.problem:
            click.echo(f"re-scoring {item.name}: {item.problem}", err=True)
            continue
        assert item.report is not None
        lines = predict_lines(item.report)
        click.echo(("would re-score: " if dry_run else "re-scored: ") + "\n  ".join(lines))
        for _file, reason in item.report.skipped:
            click.echo(f"skipped: {reason}", err=True)


def _as_dict(report: SyncReport, seconds: float) -> dict[str, object]:
    return {
        "sources": [s.as_dict() for s in report.sources],
        "rescored": [
            {"model": r.name, "problem": r.problem, **(r.report.as_dict() if r.report else {})}
            for r in report.rescored
        ],
        "added": report.total("added"),
        "changed": report.total("changed"),
        "removed": report.total("removed"),
        "seconds": round(seconds, 2),
    }
