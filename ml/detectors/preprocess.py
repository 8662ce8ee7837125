"""Reading a detector's input: the image file, cut to its tile when the row names a crop (a
generated grid holds four images). What happens to the pixels after that is in
`containers.py` (training's random containers, the one canonical square) and `views.py`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ml.images import open_image


def parse_crop(text: str | None) -> tuple[int, int, int, int] | None:
    if not text:
        return None
    left, top, right, bottom = (int(v) for v in str(text).split(","))
    return left, top, right, bottom


def load(path: str | Path, crop: tuple[int, int, int, int] | None = None) -> Image.Image:
    """The image at PATH (ImageError if unusable), cut to CROP when it is a tile of a grid."""
    image = open_image(path)
    return image.crop(crop) if crop else image
