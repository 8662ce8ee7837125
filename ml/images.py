"""Open images safely: the size is checked from the header before any pixel is decoded, and
every mode (grayscale, CMYK, palette, 16-bit, alpha) comes back as 8-bit RGB."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from graphkit.errors import ImageError

# 20000 x 20000 is refused; the largest real image in the project is under 4,000 px a side.
DEFAULT_MAX_PIXELS = 100_000_000


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit grayscale: scale to 8 bits by the largest value it can hold.
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        eight = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(eight, "L").convert("RGB")
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float64)
        eight = np.clip(values, 0, 255).astype(np.uint8)
        return Image.fromarray(eight, "L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Alpha over white, the way a viewer shows it.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def open_image(path: str | Path, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """PATH decoded to RGB; ImageError naming the file for anything that is not a usable image."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such image file")
    if path.stat().st_size == 0:
        raise ImageError(f"{path}: empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)  # reads the header only
        width, height = image.size
        if width * height > max_pixels:
            image.close()
            raise ImageError(
                f"{path}: {width}x{height} is too many pixels (limit {max_pixels:,}); "
                "refused before decoding"
            )
        with image:
            image.load()
            return _to_rgb(image)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # PIL's own header check fired first (its limit is near ours).
        raise ImageError(f"{path}: too many pixels; refused before decoding ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise ImageError(f"{path}: not an image file") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"{path}: corrupt or truncated image ({exc})") from exc


def open_images(
    paths: Iterable[str | Path], *, max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[list[tuple[Path, Image.Image]], list[tuple[Path, str]]]:
    """(loaded, skipped): a bad file is listed with its reason and the rest still load."""
    loaded: list[tuple[Path, Image.Image]] = []
    skipped: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        try:
            loaded.append((path, open_image(path, max_pixels=max_pixels)))
        except ImageError as exc:
            skipped.append((path, str(exc)))
    return loaded, skipped
