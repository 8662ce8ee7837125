"""Stable Diffusion images 'in the style of' an artist: 2x2 grids of four 512x512 images.

Each tile becomes a GeneratedImage (path + crop box), IN_STYLE_OF the artist named in
grids.json, whose birth and death years let it merge with the same artist from other sources.
"""

from __future__ import annotations

from pathlib import Path

from graphkit.identity import ArtistRecord
from graphkit.normalize import clean, display_name, parse_year
from graphkit.records import SourceBatch
from graphkit.sources.common import ImageProblem, inspect_images, read_json_list, require_dir

SOURCE = "generated"
INDEX_FILE = "grids.json"
REQUIRED = ("Name", "Image")
GRID = 2  # tiles per side


def tile_box(width: int, height: int, tile: int) -> list[int]:
    """The crop box [left, top, right, bottom] of TILE (0-3, row by row) in a grid file."""
    tile_w, tile_h = width // GRID, height // GRID
    left, top = (tile % GRID) * tile_w, (tile // GRID) * tile_h
    return [left, top, left + tile_w, top + tile_h]


def read(path: Path) -> SourceBatch:
    require_dir(path)
    records = read_json_list(path / INDEX_FILE, REQUIRED)
    batch = SourceBatch(SOURCE)
    grids = path / "grids"
    files = [
        grids / str(r.get("Image"))
        for r in records
        if isinstance(r, dict) and clean(r.get("Image"))
    ]
    # Grids of four are no near-duplicate of anything: no perceptual hash.
    images = inspect_images(sorted(set(files)), with_phash=False)
    where = f"ai_generated/{INDEX_FILE}"
    for number, record in enumerate(records):
        name = display_name(record.get("Name")) if isinstance(record, dict) else None
        image = clean(record.get("Image")) if isinstance(record, dict) else None
        if name is None or image is None:
            batch.reject("GeneratedImage", where, number, "record has no Name or no Image")
            continue
        info = images[grids / image]
        if isinstance(info, ImageProblem):
            batch.reject("GeneratedImage", where, number, str(info))
            continue
        stem = Path(image).stem
        artist_ref = f"{SOURCE}:artist:{stem}"
        batch.add_artist(
            ArtistRecord(
                artist_ref,
                name,
                parse_year(record.get("Born")),
                parse_year(record.get("Death")),
                aliases=[str(record["Name"]).strip()],
            )
        )
        tile_w, tile_h = info.width // GRID, info.height // GRID
        for tile in range(GRID * GRID):
            node_id = f"{SOURCE}:{stem}:{tile}"
            batch.add_node(
                "GeneratedImage",
                node_id,
                {
                    "path": info.path,
                    "tile": tile,
                    "crop": tile_box(info.width, info.height, tile),
                    "image_sha256": info.sha256,
                    "width": tile_w,
                    "height": tile_h,
                    "checkpoint": clean(record.get("Checkpoint")),
                    "prompt": clean(record.get("Prompt")),
                    "category": clean(record.get("Category")),
                    "generator": "stable-diffusion-1.5",
                },
                node_id,
            )
            batch.add_rel("IN_STYLE_OF", node_id, artist_ref)
    return batch
