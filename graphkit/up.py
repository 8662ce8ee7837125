"""`graphkit up`: the whole product in one command, each step reusing what is still valid.

1. graph: a first run populates every source; later runs sync, which skips sources whose
   files hash as at their last load.
2. datasets: `detector` and `styles` are rebuilt (about a second each); a graph that did
   not change gives the same manifest, byte for byte.
3. models: the default models (`movement-efficientnet-lite0`, `detector-backbone` and the
   default `detector` over the detectors present) are trained only when
   their directory is missing or invalid, or when the dataset manifest, the model's own code
   or a model it is built on changed since they were trained (DATA_DIR/up-state.json); every
   model directory present is registered (a no-op when it already is).
4. embeddings: written only when some imaged node lacks the movement model's embedding; the
   same pass gives that model's predictions, written as they come, and the backbone runs only
   over images whose statistics are not cached yet (training cached the WikiArt ones).
5. predictions: every model present scores what its version has not scored as it is now.
6. analytics: recomputed and written back (seconds).
7. serve: the API and the page, with the URL printed.

The command holds one graph connection for steps 1-6, so the embedded server starts once and
every step's own connection reuses it; then the process becomes `graphkit serve`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from graphkit.errors import GraphkitError, ModelError
from graphkit.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATE_FILE = "up-state.json"


@dataclass(frozen=True)
class DefaultModel:
    """A model `graphkit up` trains when it is missing or out of date."""

    name: str  # its directory under DATA_DIR/models, and its registry name
    dataset: str
    code: tuple[str, ...]  # project paths whose source the model depends on
    train: Callable[[click.Context, bool], None]
    uses: tuple[str, ...] = ()  # default models it is built on: retrained when they are


@dataclass(frozen=True)
class DefaultDataset:
    name: str
    label_via: str


DATASETS = (DefaultDataset("detector", "source-kind"), DefaultDataset("styles", "artwork"))
SHARED_CODE = ("ml/images.py", "ml/artifacts.py", "ml/offline.py")
# On the validation battery neither svm-dct nor gfnet added anything to the backbone detector
# (README, Detectors), so the main job does not spend its minutes on them; a user who trains
# one gets it scored, and the default `detector` re-chooses its members with it.
OPTIONAL_DETECTORS = ("detector-svm-dct", "detector-gfnet")
OPTIONAL_HINT = (
    "{names}: not trained by `graphkit up` (on validation they add nothing to "
    "detector-backbone): `graphkit train detector --kind svm-dct|gfnet`, then `graphkit up` "
    "scores with it and re-chooses the default detector's members"
)


def _detector_trainer(kind: str) -> Callable[[click.Context, bool], None]:
    def train(ctx: click.Context, progress: bool) -> None:
        from ml.cli import train_detector_command

        ctx.invoke(train_detector_command, kind=kind, dataset_name="detector", progress=progress)

    return train


def _train_movement(ctx: click.Context, progress: bool) -> None:
    from ml.cli import train_movement_command

    ctx.invoke(train_movement_command, dataset_name="styles", progress=progress)


DETECTOR_CODE = ("ml/detectors", "ml/backbone", "ml/linear.py", *SHARED_CODE)
# The movement probe first: it fills the backbone statistics cache for the WikiArt images.
DEFAULT_MODELS = (
    DefaultModel(
        "movement-efficientnet-lite0",
        "styles",
        ("ml/movement", "ml/backbone", "ml/linear.py", "ml/calibration.py", *SHARED_CODE),
        _train_movement,
    ),
    DefaultModel("detector-backbone", "detector", DETECTOR_CODE, _detector_trainer("backbone")),
    DefaultModel(
        "detector",
        "detector",
        DETECTOR_CODE,
        _detector_trainer("ensemble"),
        uses=("detector-backbone", *OPTIONAL_DETECTORS),
    ),
)


def code_sha256(paths: Iterable[str], root: Path = PROJECT_ROOT) -> str:
    """One digest over the Python source under PATHS: a model is retrained when it changes."""
    digest = hashlib.sha256()
    for relative in paths:
        target = root / relative
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def read_state(data_dir: Path) -> dict[str, Any]:
    path = data_dir / STATE_FILE
    try:
        state = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        # Losing this file only costs a retraining; say so and go on.
        click.echo(f"warning: {path} is unreadable ({exc}); models will be retrained", err=True)
        return {}
    return state if isinstance(state, dict) else {}


def write_state(data_dir: Path, state: dict[str, Any]) -> None:
    path = data_dir / STATE_FILE
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", "utf-8")
    scratch.replace(path)


def training_inputs(settings: Settings, model: DefaultModel) -> dict[str, str]:
    """What a trained model must have been made from to be reused."""
    manifest = settings.data_dir / "datasets" / model.dataset / "manifest.parquet"
    from ml.artifacts import load_model_dir, sha256_file
    from ml.registry import weights_sha256

    inputs = {"dataset_sha256": sha256_file(manifest), "code_sha256": code_sha256(model.code)}
    for name in model.uses:
        try:
            inputs[f"{name}_sha256"] = weights_sha256(
                load_model_dir(settings.data_dir / "models" / name)
            )
        except ModelError:
            inputs[f"{name}_sha256"] = "missing"
    return inputs


def reusable(model_dir: Path, recorded: dict[str, Any] | None, inputs: dict[str, str]) -> str:
    """Why the model in MODEL_DIR must be trained again, or '' when it can be reused."""
    from ml.artifacts import load_model_dir
    from ml.registry import weights_sha256

    try:
        meta = load_model_dir(model_dir)
    except ModelError as exc:
        return str(exc)
    if not recorded:
        return "no record of what it was trained on"
    if recorded.get("weights_sha256") != weights_sha256(meta):
        return "its files are not the ones trained here"
    for key, value in inputs.items():
        if recorded.get(key) != value:
            what = {"dataset_sha256": "its dataset", "code_sha256": "its code"}.get(
                key, key.removesuffix("_sha256")
            )
            return f"{what} changed since it was trained"
    return ""


class Steps:
    """Numbered step headers on stderr, with the time since the start."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.started = time.perf_counter()

    def elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:.0f} s"

    def next(self, title: str) -> None:
        self.done += 1
        click.secho(
            f"\n==> [{self.done}/{self.total}] {title} ({self.elapsed()})", err=True, bold=True
        )


def graph_step(ctx: click.Context, store: Any, data: Path, progress: bool) -> None:
    from graphkit.cli import populate
    from graphkit.sync.cli import sync_command
    from graphkit.sync.state import read_states

    if read_states(store):
        click.echo("the graph was loaded before: syncing it with the sources", err=True)
        ctx.invoke(sync_command, source="all", path=data, rescore=False, progress=progress)
    else:
        ctx.invoke(populate, source="all", path=data, progress=progress)


def datasets_step(ctx: click.Context) -> None:
    from graphkit.datasets.cli import build

    for dataset in DATASETS:
        ctx.invoke(build, name=dataset.name, label_via=dataset.label_via)


def models_step(
    ctx: click.Context, settings: Settings, store: Any, retrain: bool, progress: bool
) -> list[Path]:
    """Train what is missing or stale, register every model present; returns their dirs."""
    from ml.artifacts import load_model_dir
    from ml.registry import register_model, weights_sha256

    root = settings.data_dir / "models"
    state = read_state(settings.data_dir)
    trained = state.setdefault("models", {})
    for model in DEFAULT_MODELS:
        model_dir = root / model.name
        inputs = training_inputs(settings, model)
        why = "--retrain" if retrain else reusable(model_dir, trained.get(model.name), inputs)
        if not why:
            click.echo(f"{model.name}: reused (same dataset and code)", err=True)
            continue
        click.echo(f"{model.name}: training ({why})", err=True)
        model.train(ctx, progress)
        trained[model.name] = {
            **inputs,
            "weights_sha256": weights_sha256(load_model_dir(model_dir)),
        }
        write_state(settings.data_dir, state)
    present = sorted(p.parent for p in root.glob("*/model.json"))
    absent = [name for name in OPTIONAL_DETECTORS if not (root / name).is_dir()]
    if absent:
        click.echo(OPTIONAL_HINT.format(names=" and ".join(absent)), err=True)
    for model_dir in present:
        record, created = register_model(store, model_dir)
        if created:
            click.echo(f"registered {record.name} v{record.version}", err=True)
    return present


def predictions_step(ctx: click.Context, model_dirs: list[Path], progress: bool) -> None:
    from ml.predict_cli import predict

    for model_dir in model_dirs:
        ctx.invoke(predict, model=str(model_dir), progress=progress)


def embeddings_step(settings: Settings, store: Any) -> None:
    """Embed every image when some lack the movement model's embedding; the same pass writes
    that model's predictions (its logits come with the embedding), so step 5 skips them."""
    from ml.cli import default_movement_model, show_embed_report
    from ml.embeddings.embed import embed_with_shared_backbone, missing_embeddings
    from ml.movement.onnx_model import OnnxMovementModel
    from ml.predict import PredictionSink, PredictReport
    from ml.predict_cli import predict_lines
    from ml.registry import resolve

    model_dir = default_movement_model(settings)
    model = OnnxMovementModel.load(model_dir)
    missing = missing_embeddings(store, model)
    if not missing:
        click.echo("every image has this model's embedding: nothing to do", err=True)
        return
    click.echo(
        f"{missing:,} images lack this model's embedding: embedding all, writing the "
        "movement predictions from the same pass",
        err=True,
    )
    record, _ = resolve(store, str(model_dir))
    report = PredictReport(record.label(), "all", 0)
    sink = PredictionSink(
        store, record, model.classes, report, uncertain_below=model.uncertain_below
    )
    embedded = embed_with_shared_backbone(
        store, model, settings.data_dir, on_probabilities=sink.add
    ).as_dict()
    sink.flush()
    report.images, report.seconds = embedded["stored"], embedded["seconds"]
    show_embed_report(embedded)
    click.echo("\n".join(predict_lines(report)))


def analytics_step(ctx: click.Context) -> None:
    from graphkit.analytics.cli import run_cmd

    ctx.invoke(run_cmd, progress=False)


@click.command()
@click.argument(
    "data", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar="DATA_DIR"
)
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve at the end.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--retrain", is_flag=True, help="Train the default models even if they are valid.")
@click.option("--progress/--no-progress", default=True, help="Progress bars on stderr.")
@click.pass_context
def up(
    ctx: click.Context,
    data: Path,
    serve: bool,
    host: str,
    port: int,
    workers: int,
    retrain: bool,
    progress: bool,
) -> None:
    """Run the whole product on the configured graph from the sources in DATA_DIR: load or
    sync the graph, build the datasets, train the default models (or reuse them), write
    predictions and embeddings, run the analytics, then serve the API and the page."""
    from graphkit.store import open_store

    settings: Settings = ctx.obj
    steps = Steps(7 if serve else 6)
    # One connection for the whole run: the embedded server starts once.
    with open_store(settings) as store:
        click.echo(f"graph: {store.engine.describe()}", err=True)
        steps.next("graph: load or sync the sources")
        graph_step(ctx, store, data, progress)
        steps.next("datasets")
        datasets_step(ctx)
        steps.next("models: reuse or train")
        model_dirs = models_step(ctx, settings, store, retrain, progress)
        if not model_dirs:
            raise GraphkitError("no model could be trained or found under DATA_DIR/models")
        steps.next("embeddings (and the movement model's predictions)")
        embeddings_step(settings, store)
        steps.next("predictions")
        predictions_step(ctx, model_dirs, progress)
        steps.next("analytics")
        analytics_step(ctx)
    if not serve:
        click.secho(f"\ndone in {steps.elapsed()}", err=True, bold=True)
        return
    steps.next("serve")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.secho(
        f"serving at http://{shown}:{port}/ after {steps.elapsed()} (Ctrl-C stops it)", bold=True
    )
    exec_serve(data, host, port, workers)


def exec_serve(data: Path, host: str, port: int, workers: int) -> NoReturn:
    """Become `graphkit serve`. A fresh process, not a call: this one has ONNX Runtime's and
    torch's thread pools running, and gunicorn's forked workers would inherit them half-locked
    (workers then abort, and Ctrl-C hangs)."""
    os.environ.setdefault("GRAPHKIT_SHARED_DATA", str(data.resolve()))
    argv = [sys.executable, "-m", "graphkit.cli", "serve", "--host", host, "--port", str(port)]
    argv += ["--workers", str(workers)]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
