"""`graphkit evaluate` for movement models: a folder DIR/<movement>/<image> scored with the
model's ONNX export. Folder names match the model's classes without regard to case or
punctuation (`Naive_Art_Primitivism` = "Naive Art (Primitivism)"); a folder that matches no
class is reported, never guessed; unreadable images are skipped and listed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from unidecode import unidecode

from graphkit.errors import ImageError
from ml.artifacts import ModelMeta
from ml.images import open_image
from ml.movement.metrics import classification_report, plot_confusion
from ml.movement.onnx_model import OnnxMovementModel

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}


def folder_key(name: str) -> str:
    """Lower case letters and digits only: 'Ukiyo_e', 'Ukiyo-e' and 'ukiyo e' are one key."""
    return re.sub(r"[^a-z0-9]", "", unidecode(name).lower())


def match_folders(images_dir: Path, classes: list[str]) -> tuple[dict[Path, int], list[str]]:
    """(class folder -> class index, names of folders that match no class)."""
    if not images_dir.is_dir():
        raise ImageError(f"{images_dir}: no such folder of class folders")
    keys = {folder_key(c): i for i, c in enumerate(classes)}
    matched: dict[Path, int] = {}
    unknown: list[str] = []
    for folder in sorted(p for p in images_dir.iterdir() if p.is_dir()):
        index = keys.get(folder_key(folder.name))
        if index is None:
            unknown.append(folder.name)
        else:
            matched[folder] = index
    return matched, unknown


def image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def evaluate_folder(
    model: OnnxMovementModel, images_dir: Path
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """(report, scores, labels) for every readable image under IMAGES_DIR's class folders."""
    images_dir = Path(images_dir)
    matched, unknown = match_folders(images_dir, model.classes)
    pixels: list[np.ndarray] = []
    labels: list[int] = []
    skipped: list[dict[str, str]] = []
    empty: list[str] = []
    for folder, index in matched.items():
        files = image_files(folder)
        if not files:
            empty.append(folder.name)
        for path in files:
            try:
                pixels.append(model.pixels([open_image(path)])[0])
                labels.append(index)
            except ImageError as exc:
                skipped.append({"file": str(path), "reason": str(exc)})
    if not pixels and not matched:
        raise ImageError(
            f"{images_dir}: no folder matches a class of the model "
            f"(folders: {', '.join(unknown) or 'none'}; classes: {', '.join(model.classes)})"
        )
    logits, _ = model.run_pixels(np.stack(pixels) if pixels else np.zeros((0, 1, 1, 3), np.uint8))
    truth = np.asarray(labels, dtype=np.int64)
    report = classification_report(logits, truth, model.classes)
    report["unknown_folders"] = unknown
    report["empty_folders"] = empty
    report["skipped"] = skipped
    return report, logits, truth


def evaluate(meta: ModelMeta, images: Path, plot: Path | None) -> dict[str, Any]:
    model = OnnxMovementModel(meta)
    report, _, _ = evaluate_folder(model, images)
    if plot is not None and report["n"]:
        plot = Path(plot)
        target = plot / "confusion.png" if plot.suffix.lower() != ".png" else plot
        target.parent.mkdir(parents=True, exist_ok=True)
        plot_confusion(report, model.classes, target, f"{meta.kind} on {Path(images).name}")
        report["plot"] = str(target)
    report.pop("confusion", None)
    report["model"] = {"kind": meta.kind, "path": str(meta.path)}
    return report
