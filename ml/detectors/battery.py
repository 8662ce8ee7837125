"""The container-swap battery: the same held-out images, changed only in how they are stored,
each change applied to one class or both. A detector that keys on size or file format
collapses under the swaps; one that judges the image does not. Built from the split it is
given (the project's own validation or test split, never training artists).

as_stored        the files as they are
jpeg75           every image re-saved as JPEG quality 75 at its own size
generated_224    generated tiles scaled to a 224 px short side (the WikiArt size), JPEG 90
human_512_webp   human images scaled to a 512 px short side (the tiles' size), lossy WebP
both_swaps       generated at 224 px JPEG 75 and human at 512 px WebP, together
"""

from __future__ import annotations

from PIL import Image

from ml.detectors.containers import resave, scale_short_side

TRANSFORMS = ("as_stored", "jpeg75", "generated_224", "human_512_webp", "both_swaps")
WEBP_QUALITY = 80  # Pillow's default: what a user's WebP export holds


def _generated_small(image: Image.Image, quality: int) -> Image.Image:
    return resave(scale_short_side(image, 224), "jpeg", quality)


def _human_webp(image: Image.Image) -> Image.Image:
    return resave(scale_short_side(image, 512), "webp", WEBP_QUALITY)


def transform(image: Image.Image, is_ai: bool, name: str) -> Image.Image:
    """IMAGE as transformation NAME stores it (IS_AI: whether it is a generated image)."""
    if name == "as_stored":
        return image
    if name == "jpeg75":
        return resave(image, "jpeg", 75)
    if name == "generated_224":
        return _generated_small(image, 90) if is_ai else image
    if name == "human_512_webp":
        return image if is_ai else _human_webp(image)
    if name == "both_swaps":
        return _generated_small(image, 75) if is_ai else _human_webp(image)
    raise ValueError(f"unknown transformation {name!r}: use one of {', '.join(TRANSFORMS)}")
