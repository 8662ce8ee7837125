"""`graphkit detect IMAGE...`: each detector's P(ai) for each image; bad files are skipped and
listed, the rest are scored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphkit.errors import ModelError
from ml.detectors.scorers import load_detector
from ml.images import open_images

DEFAULT_DIRS = ("detector", "detector-svm-dct", "detector-backbone", "detector-gfnet")


def default_detectors(models_root: Path) -> list[Path]:
    """The detectors `train detector` writes by default, those that exist: the default
    `detector` (the ensemble) first, then each kind on its own."""
    found = [models_root / name for name in DEFAULT_DIRS]
    found = [path for path in found if (path / "model.json").is_file()]
    if not found:
        raise ModelError(
            f"no detector in {models_root}: train one (graphkit train detector --kind svm-dct) "
            "or name one with --model DIR"
        )
    return found


def detect_images(
    paths: list[Path], model_dirs: list[Path]
) -> tuple[list[dict[str, Any]], list[tuple[Path, str]]]:
    detectors = [load_detector(path) for path in model_dirs]
    loaded, skipped = open_images(paths)
    images = [image for _, image in loaded]
    scores = {d.name: d.score_images(images) for d in detectors}
    rows = [
        {"image": str(path), "p_ai": {name: round(float(s[i]), 4) for name, s in scores.items()}}
        for i, (path, _) in enumerate(loaded)
    ]
    return rows, skipped
