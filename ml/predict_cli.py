"""`graphkit predict` and `graphkit models list|show|register`: option parsing and printing;
the work is in ml/predict.py and ml/registry.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphkit.errors import ImageError, ModelError
from graphkit.options import json_option, progress_option
from graphkit.output import table
from graphkit.predictions.scope import SCOPES
from graphkit.predictions.write import DEFAULT_WRITE_BATCH
from graphkit.settings import Settings
from graphkit.store import open_store

if TYPE_CHECKING:  # numpy and Pillow load when a command runs, not with the CLI
    from ml.predict import PredictReport


def _offline(settings: Settings) -> None:
    from ml.offline import go_offline

    go_offline(settings.data_dir)


def predict_lines(report: PredictReport) -> list[str]:
    """How a predict run (or a sync's re-scoring) reads for people."""
    why = ", ".join(f"{n:,} {reason}" for reason, n in sorted(report.selected.items()))
    taken = sum(report.selected.values())
    lines = [
        f"{report.model} (scope {report.scope}): {report.images:,} images in the graph, "
        f"{taken:,} to score" + (f" ({why})" if why else "")
    ]
    if report.scored:
        rate = report.scored / report.seconds if report.seconds else 0.0
        lines.append(
            f"scored {report.scored:,} in {report.seconds:.1f} s ({rate:,.0f} images/s): "
            f"{report.counts.created:,} predictions created, "
            f"{report.counts.written - report.counts.created:,} already there, "
            f"{report.counts.demoted:,} older ones no longer current"
        )
    if report.skipped:
        lines.append(f"skipped {len(report.skipped)} unreadable file(s), listed on stderr")
    return lines


@click.command()
@click.option(
    "--model",
    required=True,
    help="A registered model: its directory, or its name (the latest version).",
)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="all",
    show_default=True,
    help="all: every image this version has not scored as it is now; new: only images no "
    "version of the model has scored; stale: only those whose current prediction came from an "
    "older version or other image content.",
)
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(min=1),
    default=DEFAULT_WRITE_BATCH,
    show_default=True,
    help="Predictions per write transaction.",
)
@progress_option()
@json_option()
@click.pass_obj
def predict(
    settings: Settings, model: str, scope: str, batch_size: int, progress: bool, as_json: bool
) -> None:
    """Run MODEL over every Artwork image and generated tile in scope and write Prediction
    nodes back (the same version on the same image content creates nothing)."""
    _offline(settings)
    from ml.predict import load_registered, predict_graph

    with open_store(settings) as store:
        record, scorer = load_registered(store, model)
        report = predict_graph(
            store,
            record,
            scorer,
            scope=scope,
            batch_size=batch_size,
            progress=progress,
            features_dir=settings.data_dir,
        )
    click.echo(json.dumps(report.as_dict()) if as_json else "\n".join(predict_lines(report)))
    for _file, reason in report.skipped:
        click.echo(f"skipped: {reason}", err=True)
    if report.skipped and not report.scored:
        raise ImageError(f"no image could be scored ({len(report.skipped)} files skipped)")


@click.group()
def models() -> None:
    """The model registry: every trained model version, as Model nodes in the graph."""


def _version_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            r["name"],
            r["version"],
            r["task"],
            r["kind"],
            r["trained_at"],
            r["dataset"] or r["dataset_id"] or "",
            r["current_predictions"],
            r["sha256"][:12],
        )
        for r in rows
    ]


VERSION_COLUMNS = ("name", "version", "task", "kind", "trained", "dataset", "current", "sha256")


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version.")
@click.pass_obj
def models_list(settings: Settings, as_json: bool) -> None:
    """Every registered model version, with its dataset and current predictions."""
    from ml.registry import registered

    with open_store(settings) as store:
        rows = registered(store)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, sort_keys=True))
        return
    click.echo(table(VERSION_COLUMNS, _version_rows(rows)))


@models.command("show")
@click.argument("name")
@click.option("--version", type=int, default=None, help="Default: the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print the version as JSON.")
@click.pass_obj
def models_show(settings: Settings, name: str, version: int | None, as_json: bool) -> None:
    """NAME's versions, and one version in full: files, classes, dataset, metrics."""
    from ml.registry import latest, registered

    with open_store(settings) as store:
        latest(store, name)  # a clear error for an unknown name
        rows = registered(store, name)
    chosen = [r for r in rows if version is None or r["version"] == version]
    if not chosen:
        raise ModelError(
            f"{name} has no version {version} (versions: "
            f"{', '.join(str(r['version']) for r in rows)})"
        )
    entry = {**chosen[-1], "metrics": json.loads(chosen[-1]["metrics"] or "{}")}
    entry["weights"] = json.loads(entry["weights"] or "{}")
    if as_json:
        click.echo(json.dumps(entry, sort_keys=True))
        return
    click.echo(table(VERSION_COLUMNS, _version_rows(rows)))
    click.echo()
    for key in ("id", "path", "sha256", "classes", "dataset_id", "code_version", "weights"):
        click.echo(
            f"{key}: {entry[key] if isinstance(entry[key], str) else json.dumps(entry[key])}"
        )
    click.echo("metrics:")
    click.echo(json.dumps(entry["metrics"], indent=2, sort_keys=True))


@models.command("register")
@click.argument("model_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default=None, help="Default: TASK-KIND, e.g. detector-svm-dct.")
@click.pass_obj
def models_register(settings: Settings, model_dir: Path, name: str | None) -> None:
    """Register a model directory trained before (training registers its own)."""
    from ml.registry import register_model

    with open_store(settings) as store:
        record, created = register_model(store, model_dir, name)
    state = "registered" if created else "already registered:"
    click.echo(f"{state} {record.label()} ({record.id}) from {record.path}")


def register(cli: click.Group) -> None:
    cli.add_command(predict)
    cli.add_command(models)
