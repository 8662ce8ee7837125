"""Grad-CAM over the backbone's last feature map: which parts of the picture pushed the model
towards a movement. Needs gradients, so it runs the PyTorch weights, not the ONNX export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ml.movement.backbones import Classifier, get_backbone
from ml.movement.data import square
from ml.movement.train_loop import normaliser


def gradcam(
    model: Classifier, backbone: str, image: Image.Image, class_index: int | None = None
) -> tuple[np.ndarray, int]:
    """(heat map [H, W] in 0..1 at IMAGE's own size, class explained). The model sees the
    centre square; the map covers that square and is 0 outside it."""
    width, height = image.size
    size = get_backbone(backbone).size
    pixels = torch.from_numpy(square(image, size)[None].copy())
    x = normaliser(get_backbone(backbone))(pixels).float()
    model.eval()
    with torch.enable_grad():
        features, logits = model.explain(x)
        target = int(logits.argmax(1)) if class_index is None else class_index
        logits[0, target].backward()
    weights = features.grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * features).sum(1))[0].detach().numpy()
    if cam.max() > 0:
        cam = cam / cam.max()
    side = min(width, height)
    inner = Image.fromarray((cam * 255).astype(np.uint8)).resize(
        (side, side), Image.Resampling.BILINEAR
    )
    full = np.zeros((height, width), dtype=np.float32)
    left, top = (width - side) // 2, (height - side) // 2
    full[top : top + side, left : left + side] = np.asarray(inner, dtype=np.float32) / 255.0
    return full, target


def overlay_png(image: Image.Image, heat: np.ndarray, out: Path) -> Path:
    """The image with the heat map over it (jet colours, half transparent), at the image's size."""
    from matplotlib import colormaps

    colours = (colormaps["jet"](heat)[..., :3] * 255).astype(np.uint8)
    blended = Image.blend(image.convert("RGB"), Image.fromarray(colours), alpha=0.45)
    out.parent.mkdir(parents=True, exist_ok=True)
    blended.save(out)
    return out
