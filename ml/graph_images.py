"""The images the graph holds (Artwork images, GeneratedImage tiles cut from their 2x2 grid
file), opened for a model: shared by `graphkit embed` and `graphkit predict`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PIL import Image

from graphkit.errors import ImageError
from graphkit.store import GraphStore
from ml.images import open_image


def imaged_nodes(store: GraphStore) -> list[dict[str, Any]]:
    """Rows of id, label, path, image_sha256 and crop, sorted by file so that the tiles of one
    grid come together (open_tiles decodes the grid once)."""
    rows = store.read("images/imaged_nodes").rows
    return sorted(rows, key=lambda r: (r["path"], r["id"]))


def open_tiles(
    rows: list[dict[str, Any]], skipped: list[tuple[str, str]]
) -> Iterator[tuple[dict[str, Any], Image.Image]]:
    """(row, image) per row, cropped to the row's tile; consecutive rows of one file share one
    decode. An unreadable file is appended to SKIPPED as (path, reason), once, and its rows are
    left out."""
    cached: tuple[str, Image.Image | None] = ("", None)
    for row in rows:
        if row["path"] != cached[0]:
            try:
                cached = (row["path"], open_image(row["path"]))
            except ImageError as exc:
                cached = (row["path"], None)
                skipped.append((row["path"], str(exc)))
        image = cached[1]
        if image is None:
            continue
        crop = row.get("crop")
        yield row, image.crop(tuple(crop)) if crop else image
