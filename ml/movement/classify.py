"""`graphkit classify`: top-5 movements per image (ONNX Runtime), and with --explain a Grad-CAM
PNG per image (PyTorch). Bad files are skipped with their reason; the rest are scored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ml.images import open_images
from ml.movement.model_dir import load_movement_meta, load_torch_model
from ml.movement.onnx_model import OnnxMovementModel


def classify_images(
    paths: list[Path], model_dir: Path, explain_dir: Path | None = None
) -> tuple[list[dict[str, Any]], list[tuple[Path, str]]]:
    meta = load_movement_meta(model_dir)
    model = OnnxMovementModel(meta)
    loaded, skipped = open_images(paths)
    rows: list[dict[str, Any]] = []
    images = [image for _, image in loaded]
    logits = [batch for batch, _ in model.run_images(images)]
    tops = [row for batch in logits for row in model.top(batch)]
    torch_model = load_torch_model(meta) if explain_dir is not None and loaded else None
    for (path, image), top in zip(loaded, tops, strict=True):
        row: dict[str, Any] = {
            "image": str(path),
            "top5": [{"movement": name, "probability": round(p, 4)} for name, p in top],
        }
        if torch_model is not None and explain_dir is not None:
            from ml.movement.gradcam import gradcam, overlay_png

            heat, index = gradcam(torch_model, meta.kind, image)
            out = overlay_png(image, heat, Path(explain_dir) / f"{path.stem}.gradcam.png")
            row["explanation"] = {"file": str(out), "movement": meta.classes[index]}
        rows.append(row)
    return rows, skipped
