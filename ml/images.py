"""Open images safely: the size is checked from the header before any pixel is decoded, and
every mode (grayscale, CMYK, palette, 16-bit, alpha) comes back as 8-bit RGB.

For untrusted files (uploads) the caller can also name the formats it accepts (PIL then
never runs another decoder: an EPS would start Ghostscript) and the size the models need:
a JPEG is then decoded at a reduced DCT scale and any other image reduced by an integer
factor before its conversion, so a large 16-bit or RGBA upload costs its 8-bit RGB size at
the reduced scale, not several float64 copies at full size."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from graphkit.errors import ImageError

# 20000 x 20000 is refused; the largest real image in the project is under 4,000 px a side.
DEFAULT_MAX_PIXELS = 100_000_000


# Formats an upload may be: what browsers, cameras and scanners write.
UPLOAD_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
# Pillow decodes a WebP whole, through RGBA buffers (about 15 MB per million pixels at the
# peak, bench/bench_uploads.py): with a format list given (an untrusted file) it gets a lower
# pixel limit, so that no upload costs a worker more than 300 MB.
UNSCALED_PIXEL_LIMITS = {"WEBP": 16_000_000}
STRIP_ROWS = 256  # output rows reduced at a time from an image with alpha


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit grayscale: scale to 8 bits by the largest value it can hold, rounding
        # half up, in integers (exactly round(v / top * 255)).
        values = np.asarray(image, dtype=np.int64)
        top = 65535 if image.mode.startswith("I;16") or values.max() > 255 else 255
        eight = np.clip((values * 510 + top) // (2 * top), 0, 255).astype(np.uint8)
        return Image.fromarray(eight, "L").convert("RGB")
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float32)
        eight = np.clip(values, 0, 255).astype(np.uint8)
        return Image.fromarray(eight, "L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Alpha over white, the way a viewer shows it.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _reduced(image: Image.Image, max_side: int) -> Image.Image:
    """IMAGE (loaded) reduced by the largest integer factor that keeps its shorter side at
    least MAX_SIDE, or IMAGE itself when it is small enough already."""
    factor = min(image.size) // max_side
    if factor < 2:
        return image
    if image.mode in ("RGBA", "LA"):
        return _reduced_in_strips(image, factor)
    if image.mode in ("P", "1", "I;16", "I;16B", "I;16L"):  # modes reduce() cannot take
        # Nearest-neighbour subsampling: exact for palette and bit images, and for 16-bit
        # grey it avoids a 32-bit copy at full size.
        return image.resize(
            (image.width // factor, image.height // factor), Image.Resampling.NEAREST
        )
    return image.reduce(factor)


def _reduced_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """reduce() of an image with alpha, a strip at a time: Pillow premultiplies the alpha
    into a full-size copy first, which for a 40-million-pixel RGBA image is 160 MB more."""
    width, height = image.width // factor, image.height // factor
    out = Image.new(image.mode, (width, height))
    for row in range(0, height, STRIP_ROWS):
        rows = min(STRIP_ROWS, height - row)
        strip = image.crop((0, row * factor, width * factor, (row + rows) * factor))
        out.paste(strip.reduce(factor), (0, row))
    return out


def open_image(
    path: str | Path,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    formats: tuple[str, ...] | None = None,
    max_side: int | None = None,
) -> Image.Image:
    """PATH decoded to RGB; ImageError naming the file for anything that is not a usable image.
    FORMATS: the only decoders PIL may use (None: any). MAX_SIDE: for callers that need no
    more, decode or reduce to a shorter side of at least this many pixels (None: full size)."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such image file")
    if path.stat().st_size == 0:
        raise ImageError(f"{path}: empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path, formats=formats)  # reads the header only
        width, height = image.size
        limit = max_pixels
        if formats is not None:
            limit = min(limit, UNSCALED_PIXEL_LIMITS.get(image.format or "", limit))
        if width * height > limit:
            image.close()
            raise ImageError(
                f"{path}: {width}x{height} is too many pixels (limit {limit:,}"
                f"{' for ' + str(image.format) if limit < max_pixels else ''}); "
                "refused before decoding"
            )
        with image:
            if max_side and image.format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # DCT scaling while decoding
            image.load()
            loaded = _reduced(image, max_side) if max_side else image
            return _to_rgb(loaded)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # PIL's own header check fired first (its limit is near ours).
        raise ImageError(f"{path}: too many pixels; refused before decoding ({exc})") from exc
    except UnidentifiedImageError as exc:
        if formats:
            raise ImageError(
                f"{path}: not an image in an accepted format ({', '.join(formats)})"
            ) from exc
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
