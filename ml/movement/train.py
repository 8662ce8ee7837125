"""`graphkit train movement`: find the dataset through its Dataset node, train a backbone on
its train split (best epoch chosen on val), measure the test split (artists never seen in
training), and write the model directory."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from graphkit.datasets.build import find_dataset
from graphkit.settings import Settings
from graphkit.store import open_store
from ml.artifacts import ModelMeta
from ml.backbone.stats import StatsSpec
from ml.movement.backbones import DEFAULT_BACKBONE, build_model, get_backbone
from ml.movement.data import MovementData, load_movement_data, square
from ml.movement.metrics import unseen_artist_report
from ml.movement.model_dir import save_movement_model
from ml.movement.probe import fit_probe, probe_outputs
from ml.movement.train_loop import TrainConfig, predict_logits, train_model

DEFAULT_DATASET = "styles"


def cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "ml-cache" / "movement"


def dataset_folder(settings: Settings, name: str) -> Path:
    with open_store(settings) as store:
        return find_dataset(store, name, settings.data_dir / "datasets")


@dataclass
class MovementRequest:
    backbone: str = DEFAULT_BACKBONE
    dataset: str = DEFAULT_DATASET
    out_dir: Path | None = None
    config: TrainConfig = field(default_factory=TrainConfig)
    per_class: int | None = None  # at most this many training images a class (quick runs)
    progress: bool = False
    val_per_class: int | None = None  # validation images a class measured after each epoch
    test_each_epoch: bool = False  # also measure the test split after each epoch (costly)


def fit_on(
    data: MovementData,
    request: MovementRequest,
    log: Callable[[str], None] = print,
    data_dir: Path | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Train on DATA; returns (model, metrics). A probe chooses on train+val and is measured
    on test; a trained backbone keeps its best validation epoch. The probe's backbone
    statistics go through the shared cache in DATA_DIR (a scratch folder when None)."""
    spec = get_backbone(request.backbone)
    model = build_model(request.backbone, len(data.classes))
    start = time.perf_counter()
    if spec.method == "probe":
        metrics = _fit_probe_on(model, data, request, log, data_dir)
    else:
        metrics = _train_on(model, spec, data, request, log)
    metrics["train_seconds"] = round(time.perf_counter() - start, 1)
    return model, metrics


def _train_on(
    model: Any, spec: Any, data: MovementData, request: MovementRequest, log: Callable[[str], None]
) -> dict[str, Any]:
    train = data.split("train", request.per_class)
    val = data.split("val", request.val_per_class)
    test = data.split("test")
    fitting = (data.pixels[train], data.labels[train], data.pixels[val], data.labels[val])
    history = train_model(
        model,
        spec,
        *fitting,
        request.config,
        log=log,
        report=(data.pixels[test], data.labels[test]) if request.test_each_epoch else None,
    )
    metrics: dict[str, Any] = {"history": history, "train_images": len(train)}
    for name, index in (("val", val), ("test", test)):
        logits = predict_logits(model, data.pixels[index], spec)
        metrics[name] = unseen_artist_report(
            logits, data.labels[index], data.artists[index], data.classes
        )
    return metrics


def _fit_probe_on(
    model: Any,
    data: MovementData,
    request: MovementRequest,
    log: Callable[[str], None],
    data_dir: Path | None,
) -> dict[str, Any]:
    train = data.split("train", request.per_class)
    val = data.split("val", request.val_per_class)
    test = data.split("test")
    fitting = np.concatenate([train, val])
    stats = dataset_statistics(data, model.spec, data_dir, log)
    selection = fit_probe(
        model,
        stats[fitting],
        data.labels[fitting],
        data.artists[fitting],
        np.isin(fitting, val),
        request.config.threads,
        log,
    )
    # The test split is read here, once, after every choice was made.
    logits, _ = probe_outputs(model, stats[test])
    test_report = unseen_artist_report(
        logits,
        data.labels[test],
        data.artists[test],
        data.classes,
        uncertain_below=selection.uncertain["threshold"],
    )
    return {
        "selection": selection.to_json(),
        "uncertain_below": selection.uncertain["threshold"],
        "train_images": len(fitting),
        "test": test_report,
    }


def dataset_statistics(
    data: MovementData, spec: StatsSpec, data_dir: Path | None, log: Callable[[str], None]
) -> np.ndarray:
    """The backbone statistics of every image of DATA (already decoded at the spec's size),
    read from the shared cache, the missing ones computed and stored."""
    from PIL import Image

    from ml.backbone.features import SharedBackbone

    pixels, keys = data.pixels, [str(k) for k in data.keys]
    if pixels.shape[1] != spec.size:
        # Decoded at another size (a quick run): resized here, and kept apart in the cache
        # from statistics of the files themselves.
        pixels = np.stack([square(Image.fromarray(p), spec.size) for p in pixels])
        keys = [f"{key}~{data.pixels.shape[1]}px" for key in keys]
    with tempfile.TemporaryDirectory() as scratch:
        shared = SharedBackbone.open(spec, Path(data_dir or scratch))
        try:
            return shared.stats_of_pixels(keys, pixels, log)
        finally:
            shared.close()


def train_movement(
    settings: Settings, request: MovementRequest, log: Callable[[str], None] = print
) -> ModelMeta:
    folder = dataset_folder(settings, request.dataset)
    # A probe reads its backbone at the size that network was trained at (Lite2: 260 px).
    size = get_backbone(request.backbone).size
    if get_backbone(request.backbone).method == "probe":
        request.config.image_size = size
    data = load_movement_data(
        folder, cache_dir(settings), request.config.image_size, request.progress
    )
    model, metrics = fit_on(data, request, log, settings.data_dir)
    out = request.out_dir or settings.data_dir / "models" / f"movement-{request.backbone}"
    config = {**request.config.to_json(), "per_class": request.per_class}
    return save_movement_model(
        out,
        model,
        request.backbone,
        data.classes,
        config=config,
        metrics=metrics,
        dataset_id=data.dataset_id,
        size=request.config.image_size,
    )
