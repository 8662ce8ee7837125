"""WikiArt paintings: `<Style>/<artist-slug>_<title-slug>-<year>.jpg`, the folder is the style.

Each file is one Artwork IN_STYLE its folder's movement. The artist's membership of that
movement is derived from their artworks, and marked so on the relationship.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphkit.identity import ArtistRecord
from graphkit.normalize import display_name, year_props
from graphkit.records import SourceBatch
from graphkit.sources.common import (
    ImageProblem,
    add_movement,
    image_props,
    inspect_images,
    require_dir,
)

SOURCE = "wikiart"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
_TRAILING_YEAR = re.compile(r"-(\d{4})(?:-\d{1,2})?(?:\(\d+\))?$")
_COPY_SUFFIX = re.compile(r"(?:-\d{1,2})?(?:\(\d+\))?$")


def parse_filename(stem: str) -> tuple[str, str, int | None] | None:
    """'claude-monet_water-lilies-1914' → ('claude-monet', 'Water Lilies', 1914)."""
    artist_slug, sep, rest = stem.partition("_")
    if not sep or not artist_slug or not rest:
        return None
    match = _TRAILING_YEAR.search(rest)
    year = int(match.group(1)) if match else None
    title_slug = rest[: match.start()] if match else _COPY_SUFFIX.sub("", rest)
    title = " ".join(title_slug.replace("-", " ").split()).capitalize() or rest
    if year is not None and not 1000 <= year <= 2100:
        year = None
    return artist_slug, title, year


def read(path: Path) -> SourceBatch:
    require_dir(path)
    batch = SourceBatch(SOURCE)
    files = sorted(
        p
        for style_dir in sorted(path.iterdir())
        if style_dir.is_dir()
        for p in style_dir.iterdir()
        if p.suffix.lower() in IMAGE_SUFFIXES
    )
    images = inspect_images(files)
    artists: set[str] = set()
    for file in files:
        where = f"wikiart/{file.parent.name}/{file.name}"
        parsed = parse_filename(file.stem)
        if parsed is None:
            batch.reject(
                "Artwork", where, file.name, "file name is not <artist-slug>_<title-slug>[-year]"
            )
            continue
        info = images[file]
        if isinstance(info, ImageProblem):
            batch.reject("Artwork", where, file.name, str(info))
            continue
        artist_slug, title, year = parsed
        style_id = add_movement(batch, file.parent.name, f"{SOURCE}:style:{file.parent.name}")
        if style_id is None:
            continue
        artist_ref = f"{SOURCE}:artist:{artist_slug}"
        if artist_slug not in artists:
            artists.add(artist_slug)
            batch.add_artist(
                ArtistRecord(
                    artist_ref,
                    display_name(artist_slug) or artist_slug,
                    props={"wikiart_slug": artist_slug},
                )
            )
        node_id = f"{SOURCE}:artwork:{file.parent.name}/{file.stem}"
        batch.add_node(
            "Artwork",
            node_id,
            {
                "title": title,
                **year_props(year),
                **image_props(info),
            },
            node_id,
        )
        batch.add_rel("CREATED_BY", node_id, artist_ref, {"role": "artist"})
        batch.add_rel("IN_STYLE", node_id, style_id)
        batch.add_rel("MEMBER_OF", artist_ref, style_id, {"derived": True})
    return batch
