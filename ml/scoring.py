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

Score = Callable[[list[Image.Image]], np.ndarray]  # N images -> N x classes probabilities


@dataclass
class Scorer:
    meta: ModelMeta
    score: Score

    @property
    def classes(self) -> list[str]:
        return list(self.meta.classes)


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

    def score(images: list[Image.Image]) -> np.ndarray:
        p_ai = np.asarray(detector.score_images(images), dtype=np.float64)
        return np.stack([p_ai, 1.0 - p_ai], axis=1)

    return Scorer(detector.meta, score)


def _movement(model_dir: Path) -> Scorer:
    from ml.movement.onnx_model import OnnxMovementModel

    model = OnnxMovementModel.load(model_dir)
    index = {name: i for i, name in enumerate(model.classes)}

    def score(images: list[Image.Image]) -> np.ndarray:
        rows = []
        for logits, _ in model.run_images(images):
            for ranked in model.top(logits, len(model.classes)):
                row = np.zeros(len(model.classes))
                for name, probability in ranked:
                    row[index[name]] = probability
                rows.append(row)
        return np.asarray(rows).reshape(len(images), len(model.classes))

    return Scorer(model.meta, score)


LOADERS = {"detector": _detector, "movement": _movement}


def load_scorer(model_dir: Path) -> Scorer:
    """The model in MODEL_DIR, its files verified against model.json (ModelError if not)."""
    task = _task(model_dir)
    if task not in LOADERS:
        raise ModelError(f"{model_dir}: no scoring for {task} models")
    return LOADERS[task](Path(model_dir))
