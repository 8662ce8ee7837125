"""One preprocessing for every image, whatever its source: shrink so the short side is CANVAS
pixels and keep the centre square. Both classes (512 px WebP tiles, 224 px and 843 px JPEGs)
pass through it, so file format and size carry as little signal as possible. (Capping the
window so that tiles and museum photographs shrink by the same factor was tried: it made the
photographs' zoomed-in brushwork look generated, and every score fell.)

Training augments before this step, at the image's own resolution: random down-scaling and
JPEG re-compression (quality 60-100), as a user's copy of an image would have been treated.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ml.images import open_image

CANVAS = 144  # stored square; training takes random CROP-sized crops from it
CROP = 128  # what the models see; inference takes the centre crop


@dataclass(frozen=True)
class Augment:
    """Random changes made to an image before preprocessing (training only)."""

    jpeg_quality: tuple[int, int] = (60, 100)
    jpeg_probability: float = 0.8
    downscale: tuple[float, float] = (0.5, 1.0)
    downscale_probability: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def preprocessing_config() -> dict[str, Any]:
    return {
        "canvas": CANVAS,
        "crop": CROP,
        "resize": "short side to canvas, bilinear with antialiasing; centre square",
        "color": "RGB uint8; svm-dct uses the luma (ITU-R 601) of it",
    }


def parse_crop(text: str | None) -> tuple[int, int, int, int] | None:
    if not text:
        return None
    left, top, right, bottom = (int(v) for v in str(text).split(","))
    return left, top, right, bottom


def load(path: str | Path, crop: tuple[int, int, int, int] | None = None) -> Image.Image:
    """The image at PATH (ImageError if unusable), cut to CROP when it is a tile of a grid."""
    image = open_image(path)
    return image.crop(crop) if crop else image


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    """IMAGE re-saved as JPEG at QUALITY (as a person re-saving a download would)."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=int(quality))
    buffer.seek(0)
    with Image.open(buffer) as again:
        return again.convert("RGB")


def augment(image: Image.Image, rng: np.random.Generator, spec: Augment) -> Image.Image:
    if rng.random() < spec.downscale_probability:
        factor = rng.uniform(*spec.downscale)
        width, height = image.size
        if min(width, height) * factor >= CANVAS:  # never below what the models see
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            image = image.resize(size, Image.Resampling.BILINEAR)
    if rng.random() < spec.jpeg_probability:
        image = jpeg(image, int(rng.integers(spec.jpeg_quality[0], spec.jpeg_quality[1] + 1)))
    return image


def canvas(image: Image.Image) -> np.ndarray:
    """IMAGE as a CANVAS x CANVAS x 3 uint8 array: short side scaled to CANVAS, centre square."""
    width, height = image.size
    scale = CANVAS / min(width, height)
    size = (max(CANVAS, round(width * scale)), max(CANVAS, round(height * scale)))
    if size != image.size:
        image = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=None)
    left, top = (size[0] - CANVAS) // 2, (size[1] - CANVAS) // 2
    return np.asarray(image.crop((left, top, left + CANVAS, top + CANVAS)), dtype=np.uint8)


def centre(canvases: np.ndarray) -> np.ndarray:
    """The centre CROP x CROP of each canvas (N x CANVAS x CANVAS x 3)."""
    margin = (CANVAS - CROP) // 2
    return canvases[:, margin : margin + CROP, margin : margin + CROP]


def random_crops(canvases: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One random CROP x CROP window of each canvas, with a random horizontal flip."""
    n = len(canvases)
    offsets = rng.integers(0, CANVAS - CROP + 1, size=(n, 2))
    flips = rng.random(n) < 0.5
    out = np.empty((n, CROP, CROP, 3), dtype=np.uint8)
    for i, (dy, dx) in enumerate(offsets):
        window = canvases[i, dy : dy + CROP, dx : dx + CROP]
        out[i] = window[:, ::-1] if flips[i] else window
    return out
