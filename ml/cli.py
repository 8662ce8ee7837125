"""`graphkit train|evaluate|detect ...`: option parsing and printing only; the work is in the
modules each command imports."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from graphkit.errors import ImageError, ModelError
from graphkit.settings import Settings
from ml.artifacts import ModelMeta

# evaluate dispatches on model.json's task: one module per task, each with
# `evaluate(meta, images_dir, plot_dir) -> dict` (printed as JSON).
EVALUATORS = {
    "detector": "ml.evaluate_detector",
    "movement": "ml.evaluate_movement",
}


def models_root(settings: Settings) -> Path:
    return settings.data_dir / "models"


def offline(settings: Settings) -> None:
    from ml.offline import go_offline

    go_offline(settings.data_dir)


def register_trained(settings: Settings, meta: ModelMeta) -> dict[str, object]:
    """Training registers the model it wrote, as a Model node (a new version of its name)."""
    from graphkit.store import open_store
    from ml.registry import register_model

    with open_store(settings) as store:
        record, _ = register_model(store, meta.path or Path("."))
    return {"id": record.id, "name": record.name, "version": record.version}


@click.group()
def train() -> None:
    """Train image models from datasets built out of the graph."""


@train.command("detector")
@click.option(
    "--kind",
    type=click.Choice(["svm-dct", "backbone", "gfnet", "ensemble"]),
    required=True,
    help="svm-dct: DCT features + RBF SVM; backbone: the frozen ImageNet backbone's statistics "
    "+ a linear probe; gfnet: FFT + Global Filter Network; ensemble: the default `detector`, "
    "combining the detectors trained beside it (members chosen on validation).",
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
        out_dir=out
        or models_root(settings) / ("detector" if kind == "ensemble" else f"detector-{kind}"),
        seed=seed,
        max_per_split=max_per_split,
        progress=progress,
    )
    meta = train_detector(settings, request)
    # The test metrics per source; everything else is in DIR/model.json.
    summary = {"model_dir": str(meta.path), "train_seconds": meta.metrics["train_seconds"]}
    summary["registered"] = register_trained(settings, meta)
    summary["test"] = meta.metrics["test"]
    click.echo(json.dumps(summary, indent=2))


@train.command("movement")
@click.option(
    "--backbone",
    type=click.Choice(
        [
            "efficientnet-lite0",
            "efficientnet-lite1",
            "efficientnet-lite2",
            "efficientnet-lite0-finetune",
            "mobilenetv3-large",
            "yolov8n-cls",
        ]
    ),
    default="efficientnet-lite0",
    show_default=True,
    help="efficientnet-lite0: shipped ImageNet weights, frozen, a linear probe over the "
    "statistics of several stages (best on validation, minutes); efficientnet-lite1/-lite2: the "
    "same probe on larger networks; efficientnet-lite0-finetune: Lite0, stages 5-6 fine-tuned; "
    "mobilenetv3-large: timm, from scratch; yolov8n-cls: the seed's model, from its yaml. "
    "--epochs and --max-minutes do not apply to the probes.",
)
@click.option(
    "--dataset",
    "dataset_name",
    default="styles",
    show_default=True,
    help="A movement dataset (graphkit dataset build NAME --label-via artwork), found through "
    "its Dataset node.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Model directory (default: <data dir>/models/movement-BACKBONE).",
)
@click.option("--epochs", type=int, default=8, show_default=True)
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--max-minutes", type=float, default=None, help="Stop after the epoch past this.")
@click.option(
    "--per-class", type=int, default=None, help="At most this many images a class (quick runs)."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--progress/--no-progress", default=True, help="Show image decoding progress.")
@click.pass_obj
def train_movement_command(
    settings: Settings,
    backbone: str,
    dataset_name: str,
    out: Path | None,
    epochs: int,
    batch_size: int,
    max_minutes: float | None,
    per_class: int | None,
    seed: int,
    progress: bool,
) -> None:
    """Train an art-movement classifier; prints its test figures (artists never seen)."""
    offline(settings)
    from ml.movement.train import MovementRequest, train_movement
    from ml.movement.train_loop import TrainConfig

    config = TrainConfig(epochs=epochs, batch_size=batch_size, seed=seed, max_minutes=max_minutes)
    request = MovementRequest(backbone, dataset_name, out, config, per_class, progress)
    meta = train_movement(settings, request, log=lambda line: click.echo(line, err=True))
    test = meta.metrics["test"]
    summary = {
        k: test[k] for k in ("n", "top1", "top5", "macro_f1", "ece", "uncertain") if k in test
    }
    if "intervals" in test:
        summary["95% interval, resampling artists"] = {
            name: [round(v["low"], 3), round(v["high"], 3)] for name, v in test["intervals"].items()
        }
    registered = register_trained(settings, meta)
    click.echo(
        json.dumps(
            {"model_dir": str(meta.path), "registered": registered, "test": summary}, indent=2
        )
    )


@click.command()
@click.argument("model_dir", type=click.Path(path_type=Path))
@click.option(
    "--images",
    type=click.Path(path_type=Path),
    default=None,
    help="A folder with one sub-folder per class (detectors: ai/ and human/).",
)
@click.option(
    "--battery",
    "battery_dataset",
    default=None,
    metavar="DATASET",
    help="Detectors: the container-swap battery of DATASET's test split (e.g. detector): as "
    "stored, JPEG 75, generated at 224 px, humans as 512 px WebP, both swaps, per source.",
)
@click.option(
    "--plot",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write ROC and confusion-matrix PNGs into this folder.",
)
@click.pass_obj
def evaluate(
    settings: Settings,
    model_dir: Path,
    images: Path | None,
    battery_dataset: str | None,
    plot: Path | None,
) -> None:
    """Evaluate MODEL_DIR on a folder of labelled images (--images), or a detector on the
    battery of a dataset's test split (--battery); prints one JSON object."""
    offline(settings)
    from ml.artifacts import load_model_dir

    meta = load_model_dir(model_dir)
    if meta.task not in EVALUATORS:
        raise ModelError(f"{model_dir}: no evaluation for {meta.task} models")
    if (images is None) == (battery_dataset is None):
        raise click.UsageError("give one of --images DIR or --battery DATASET")
    if battery_dataset is not None:
        if meta.task != "detector":
            raise click.UsageError("--battery is for detectors")
        from ml.evaluate_detector import evaluate_battery

        click.echo(json.dumps(evaluate_battery(settings, meta, battery_dataset), sort_keys=True))
        return
    assert images is not None
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


def default_movement_model(settings: Settings) -> Path:
    from ml.embeddings.embed import default_model_dir

    return default_model_dir(settings.data_dir)


MOVEMENT_MODEL = click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Movement model directory (default: <data dir>/models/movement-efficientnet-lite0).",
)


@click.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@MOVEMENT_MODEL
@click.option(
    "--explain",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write a Grad-CAM heat-map PNG over each image into this folder.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per image.")
@click.pass_obj
def classify(
    settings: Settings,
    images: tuple[Path, ...],
    model_dir: Path | None,
    explain: Path | None,
    as_json: bool,
) -> None:
    """Print the five most likely art movements of each image, with probabilities."""
    offline(settings)
    from ml.movement.classify import classify_images

    rows, skipped = classify_images(
        list(images), model_dir or default_movement_model(settings), explain
    )
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, sort_keys=True))
            continue
        click.echo(row["image"])
        for guess in row["top5"]:
            click.echo(f"  {guess['probability']:.3f}  {guess['movement']}")
        if "explanation" in row:
            click.echo(
                f"  grad-cam ({row['explanation']['movement']}): {row['explanation']['file']}"
            )
    for _, reason in skipped:
        click.echo(f"skipped: {reason}", err=True)
    if skipped and not rows:
        raise ImageError(f"no image could be classified ({len(skipped)} skipped)")


@click.command()
@MOVEMENT_MODEL
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def embed(settings: Settings, model_dir: Path | None, as_json: bool) -> None:
    """Store an image embedding on every Artwork and GeneratedImage with an image."""
    offline(settings)
    from graphkit.store import open_store
    from ml.embeddings.embed import embed_with_shared_backbone
    from ml.movement.onnx_model import OnnxMovementModel

    model = OnnxMovementModel.load(model_dir or default_movement_model(settings))
    with open_store(settings) as store:
        report = embed_with_shared_backbone(store, model, settings.data_dir).as_dict()
    if as_json:
        click.echo(json.dumps(report, sort_keys=True))
        return
    show_embed_report(report)


def show_embed_report(report: dict) -> None:
    labels = ", ".join(f"{n} {label}" for label, n in sorted(report["by_label"].items()))
    click.echo(
        f"embedded {report['stored']} images ({labels}) in {report['seconds']} s "
        f"with {report['model']} ({report['dimension']} dimensions)"
    )
    if report.get("backbone_runs") is not None:
        click.echo(
            f"backbone run over {report['backbone_runs']:,} images; the rest had statistics "
            "in the cache"
        )
    for item in report["skipped"]:
        click.echo(f"skipped: {item['reason']}", err=True)


@click.command()
@click.argument("artwork_id")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per artwork.")
@click.pass_obj
def similar(settings: Settings, artwork_id: str, k: int, as_json: bool) -> None:
    """Print the K artworks that look most like ARTWORK_ID (it comes first itself)."""
    from graphkit.output import table
    from graphkit.store import open_store
    from ml.embeddings.embed import similar_artworks

    with open_store(settings) as store:
        rows = similar_artworks(store, artwork_id, k)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, sort_keys=True))
        return
    click.echo(
        table(
            ("similarity", "id", "movement", "artist"),
            (
                (
                    f"{r['similarity']:.3f}",
                    r["id"],
                    ", ".join(r["movements"]),
                    ", ".join(r["artists"]),
                )
                for r in rows
            ),
        )
    )


def register(cli: click.Group) -> None:
    """Add the ML commands to the `graphkit` CLI."""
    from ml.predict_cli import register as register_predict

    register_predict(cli)
    cli.add_command(train)
    cli.add_command(evaluate)
    cli.add_command(detect)
    cli.add_command(classify)
    cli.add_command(embed)
    cli.add_command(similar)
