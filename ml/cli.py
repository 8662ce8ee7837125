"""`graphkit train|evaluate|detect ...`: option parsing and printing only; the work is in the
modules each command imports."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from graphkit.errors import ImageError, ModelError
from graphkit.settings import Settings

# evaluate dispatches on model.json's task: one module per task, each with
# `evaluate(meta, images_dir, plot_dir) -> dict` (printed as JSON).
EVALUATORS = {
    "detector": "ml.evaluate_detector",
}


def models_root(settings: Settings) -> Path:
    return settings.data_dir / "models"


def offline(settings: Settings) -> None:
    from ml.offline import go_offline

    go_offline(settings.data_dir)


@click.group()
def train() -> None:
    """Train image models from datasets built out of the graph."""


@train.command("detector")
@click.option(
    "--kind",
    type=click.Choice(["svm-dct", "gfnet"]),
    required=True,
    help="svm-dct: DCT features + RBF SVM; gfnet: FFT + Global Filter Network.",
)
@click.option(
    "--dataset",
    "dataset_name",
    default=None,
    help="A detector dataset (graphkit dataset build NAME --label-via source-kind); "
    "default: build 'detector' from the graph.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Model directory (default: <data dir>/models/detector-KIND).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--max-per-split",
    type=int,
    default=None,
    help="Use at most this many images of each split (quick runs).",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def train_detector_command(
    settings: Settings,
    kind: str,
    dataset_name: str | None,
    out: Path | None,
    seed: int,
    max_per_split: int | None,
    progress: bool,
) -> None:
    """Train an AI-generated-image detector and write its model directory."""
    offline(settings)
    from ml.detectors.train import TrainRequest, train_detector

    request = TrainRequest(
        kind=kind,
        dataset=dataset_name,
        out_dir=out or models_root(settings) / f"detector-{kind}",
        seed=seed,
        max_per_split=max_per_split,
        progress=progress,
    )
    meta = train_detector(settings, request)
    # The test metrics per source; everything else is in DIR/model.json.
    summary = {"model_dir": str(meta.path), "train_seconds": meta.metrics["train_seconds"]}
    summary["test"] = meta.metrics["test"]
    click.echo(json.dumps(summary, indent=2))


@click.command()
@click.argument("model_dir", type=click.Path(path_type=Path))
@click.option(
    "--images",
    type=click.Path(path_type=Path),
    required=True,
    help="A folder with one sub-folder per class (detectors: ai/ and human/).",
)
@click.option(
    "--plot",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write ROC and confusion-matrix PNGs into this folder.",
)
@click.pass_obj
def evaluate(settings: Settings, model_dir: Path, images: Path, plot: Path | None) -> None:
    """Evaluate MODEL_DIR on a folder of labelled images; prints one JSON object."""
    offline(settings)
    from ml.artifacts import load_model_dir

    meta = load_model_dir(model_dir)
    if meta.task not in EVALUATORS:
        raise ModelError(f"{model_dir}: no evaluation for {meta.task} models")
    module = importlib.import_module(EVALUATORS[meta.task])
    click.echo(json.dumps(module.evaluate(meta, images, plot), sort_keys=True))


@click.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--model",
    "model_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Detector model directory (repeatable; default: every detector in <data dir>/models).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per image.")
@click.pass_obj
def detect(
    settings: Settings, images: tuple[Path, ...], model_dirs: tuple[Path, ...], as_json: bool
) -> None:
    """Print, per image, each detector's probability that it is AI-generated."""
    offline(settings)
    from ml.detectors.detect import default_detectors, detect_images

    dirs = list(model_dirs) or default_detectors(models_root(settings))
    scored, skipped = detect_images(list(images), dirs)
    for row in scored:
        if as_json:
            click.echo(json.dumps(row, sort_keys=True))
        else:
            probs = "  ".join(f"{k}={v:.4f}" for k, v in row["p_ai"].items())
            click.echo(f"{row['image']}  {probs}")
    for _path, reason in skipped:
        click.echo(f"skipped: {reason}", err=True)
    if skipped and not scored:
        raise ImageError(f"no image could be scored ({len(skipped)} skipped)")


def register(cli: click.Group) -> None:
    """Add the ML commands to the `graphkit` CLI."""
    cli.add_command(train)
    cli.add_command(evaluate)
    cli.add_command(detect)
