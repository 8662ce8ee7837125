"""Art Institute of Chicago public-domain paintings: paintings.json and images/<id>.jpg."""

from __future__ import annotations

import re
from pathlib import Path

from graphkit.identity import ArtistRecord
from graphkit.normalize import as_int, clean, parse_year_range, slugify, year_props
from graphkit.records import SourceBatch
from graphkit.sources.common import (
    ImageProblem,
    add_medium,
    artist_name,
    creator_props,
    image_props,
    inspect_images,
    read_json_list,
    require_dir,
)

SOURCE = "aic"
INDEX_FILE = "paintings.json"
REQUIRED = ("id", "title", "artist", "image")
_ARTIST = re.compile(r"^(?P<name>.*?)\s*\((?P<details>[^()]*)\)\s*$")


def parse_artist(text: str) -> tuple[str, str | None, int | None, int | None]:
    """'Jean Charles Cazin (French, 1841–1901)' → (name, 'French', 1841, 1901)."""
    match = _ARTIST.match(text)
    if not match:
        return text.strip(), None, None, None
    details = [part.strip() for part in match.group("details").split(",")]
    nationality = details[0] if details and not re.search(r"\d", details[0]) else None
    born, died = parse_year_range(", ".join(details[1:] if nationality else details))
    if born is not None and born == died:  # a single year is not a lifespan
        born = died = None
    return match.group("name").strip(), nationality, born, died


def read(path: Path) -> SourceBatch:
    require_dir(path)
    records = read_json_list(path / INDEX_FILE, REQUIRED)
    batch = SourceBatch(SOURCE)
    files = {
        number: path / "images" / str(r.get("image"))
        for number, r in enumerate(records)
        if isinstance(r, dict) and clean(r.get("image"))
    }
    images = inspect_images(sorted(set(files.values())))
    where = f"aic_paintings/{INDEX_FILE}"
    for number, record in enumerate(records):
        raw_id = as_int(record.get("id")) if isinstance(record, dict) else None
        if raw_id is None or number not in files:
            batch.reject("Artwork", where, number, "record has no id or no image")
            continue
        info = images[files[number]]
        if isinstance(info, ImageProblem):
            batch.reject("Artwork", where, raw_id, str(info))
            continue
        node_id = f"{SOURCE}:artwork:{raw_id}"
        start, end = parse_year_range(record.get("date"))
        medium = clean(record.get("medium"))
        batch.add_node(
            "Artwork",
            node_id,
            {
                "title": clean(record.get("title")),
                "date_text": clean(record.get("date")),
                **year_props(start, end),
                "medium": medium,
                "collection": clean(record.get("collection")),
                **image_props(info),
            },
            node_id,
        )
        add_medium(batch, node_id, medium)
        person = artist_name(batch, record.get("artist"), where, display=False)
        if person:
            name, nationality, born, died = parse_artist(person.name)
            artist_ref = f"{SOURCE}:artist:{slugify(name)}-{born or ''}"
            batch.add_artist(
                ArtistRecord(artist_ref, name, born, died, props={"nationality": nationality})
            )
            batch.add_rel(
                "CREATED_BY",
                node_id,
                artist_ref,
                creator_props(batch, artist_ref, person.attribution),
            )
    return batch
