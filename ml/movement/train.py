"""`graphkit train movement`: find the dataset through its Dataset node, train a backbone on
its train split (best epoch chosen on val), measure the test split (artists never seen in
training), and write the model directory."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.datasets.build import find_dataset
from graphkit.settings import Settings
from graphkit.store import open_store
from ml.artifacts import ModelMeta
from ml.movement.backbones import DEFAULT_BACKBONE, build_model, get_backbone
from ml.movement.data import MovementData, load_movement_data
from ml.movement.metrics import classification_report
from ml.movement.model_dir import save_movement_model
from ml.movement.probe import fit_probe, probe_logits
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
    data: MovementData, request: MovementRequest, log: Callable[[str], None] = print
) -> tuple[Any, dict[str, Any]]:
    """Train on DATA's train split; returns (model, metrics on val and test)."""
    spec = get_backbone(request.backbone)
    train = data.split("train", request.per_class)
    val = data.split("val", request.val_per_class)
    test = data.split("test")
    model = build_model(request.backbone, len(data.classes))
    start = time.perf_counter()
    fitting = (data.pixels[train], data.labels[train], data.pixels[val], data.labels[val])
    score = probe_logits if spec.method == "probe" else predict_logits
    if spec.method == "probe":
        history = fit_probe(model, spec, *fitting, request.config, log=log)  # type: ignore[arg-type]
    else:
        history = train_model(
            model,
            spec,
            *fitting,
            request.config,
            log=log,
            report=(data.pixels[test], data.labels[test]) if request.test_each_epoch else None,
        )
    seconds = time.perf_counter() - start
    metrics: dict[str, Any] = {"train_seconds": round(seconds, 1), "history": history}
    for name, index in (("val", val), ("test", test)):
        logits = score(model, data.pixels[index], spec)
        report = classification_report(logits, data.labels[index], data.classes)
        report.pop("confusion")
        metrics[name] = report
    metrics["train_images"] = len(train)
    return model, metrics


def train_movement(
    settings: Settings, request: MovementRequest, log: Callable[[str], None] = print
) -> ModelMeta:
    folder = dataset_folder(settings, request.dataset)
    data = load_movement_data(
        folder, cache_dir(settings), request.config.image_size, request.progress
    )
    model, metrics = fit_on(data, request, log)
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
