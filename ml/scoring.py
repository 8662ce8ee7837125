"""One way to score images with any registered model: class probabilities, one row per image,
in the model's class order. Detectors give P(ai) (`score_images`), movement classifiers
logits (`run_images`, ranked by `top`); both are used only through those interfaces."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from graphkit.errors import ModelError
from ml.artifacts import META_FILE, ModelMeta
from ml.backbone.stats import StatsSpec
from ml.calibration import softmax

# N images (and, for a model on the shared backbone, their statistics when the caller has
# them) -> N x classes probabilities
Score = Callable[[list[Image.Image], np.ndarray | None], np.ndarray]


@dataclass
class Scorer:
    meta: ModelMeta
    score: Score
    # The backbone statistics the model reads (None: it reads none): whoever scores many
    # images passes them from the shared cache, so the backbone runs once per image.
    statistics: StatsSpec | None = None

    @property
    def classes(self) -> list[str]:
        return list(self.meta.classes)

    @property
    def uncertain_below(self) -> float | None:
        """The calibrated top probability under which the model's answer is "uncertain"
        (chosen on validation artists), None when the model has none."""
        value = self.meta.metrics.get("uncertain_below")
        return None if value is None else float(value)


def _task(model_dir: Path) -> str:
    try:
        return str(json.loads((Path(model_dir) / META_FILE).read_text("utf-8"))["task"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{model_dir}: not a model directory ({exc})") from exc


def _detector(model_dir: Path) -> Scorer:
    from ml.detectors.scorers import load_detector

    detector = load_detector(model_dir)
    if list(detector.meta.classes) != ["ai", "human"]:
        raise ModelError(f"{model_dir}: a detector's classes must be ai, human")

    def score(images: list[Image.Image], stats: np.ndarray | None = None) -> np.ndarray:
        p_ai = np.asarray(detector.score_images(images, stats), dtype=np.float64)
        return np.stack([p_ai, 1.0 - p_ai], axis=1)

    runner = detector.backbone
    return Scorer(detector.meta, score, runner.spec if runner is not None else None)


def _movement(model_dir: Path) -> Scorer:
    from ml.movement.onnx_model import OnnxMovementModel

    model = OnnxMovementModel.load(model_dir)
    index = {name: i for i, name in enumerate(model.classes)}

    def score(images: list[Image.Image], stats: np.ndarray | None = None) -> np.ndarray:
        if stats is not None and model.head is not None:
            return softmax(model.run_stats(stats)[0]).astype(np.float64)
        rows = []
        for logits, _ in model.run_images(images):
            for ranked in model.top(logits, len(model.classes)):
                row = np.zeros(len(model.classes))
                for name, probability in ranked:
                    row[index[name]] = probability
                rows.append(row)
        return np.asarray(rows).reshape(len(images), len(model.classes))

    return Scorer(model.meta, score, model.statistics)


LOADERS = {"detector": _detector, "movement": _movement}


def load_scorer(model_dir: Path) -> Scorer:
    """The model in MODEL_DIR, its files verified against model.json (ModelError if not)."""
    task = _task(model_dir)
    if task not in LOADERS:
        raise ModelError(f"{model_dir}: no scoring for {task} models")
    return LOADERS[task](Path(model_dir))
