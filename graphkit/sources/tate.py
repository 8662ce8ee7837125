"""The Tate collection: every artist and artwork record, as gzip'd JSON lines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.identity import ArtistRecord
from graphkit.lifespans import check_range
from graphkit.names import ATTRIBUTIONS
from graphkit.normalize import as_int, clean, display_name, year_props
from graphkit.records import SourceBatch
from graphkit.sources.common import (
    add_medium,
    add_movement,
    add_place_chain,
    iter_jsonl_gz,
    require_dir,
)

SOURCE = "tate"
ARTISTS_FILE = "artists.jsonl.gz"
ARTWORKS_FILE = "artworks.jsonl.gz"


def read(path: Path) -> SourceBatch:
    require_dir(path)
    batch = SourceBatch(SOURCE)
    artist_ids = _artists(batch, path / ARTISTS_FILE)
    _artworks(batch, path / ARTWORKS_FILE, artist_ids)
    return batch


def _movement(batch: SourceBatch, raw: dict[str, Any]) -> str | None:
    era = raw.get("era") or {}
    return add_movement(
        batch,
        raw.get("name"),
        f"{SOURCE}:movement:{raw.get('id')}",
        {"era": clean(era.get("name")) if isinstance(era, dict) else None},
    )


def _place(batch: SourceBatch, event: Any) -> str | None:
    """'Philadelphia, United States' → Philadelphia LOCATED_IN United States."""
    place = (event or {}).get("place") if isinstance(event, dict) else None
    if not isinstance(place, dict) or not clean(place.get("name")):
        return None
    parts = [p.strip() for p in str(place["name"]).split(",")]
    return add_place_chain(batch, parts[::-1], clean(place.get("placeType")))


def _year(record: dict[str, Any], event: str) -> int | None:
    """birthYear / deathYear, or the event's own time when the record leaves that out
    (Constable: no deathYear, death.time.startYear 1837)."""
    year = as_int(record.get(f"{event}Year"))
    if year is None and isinstance(record.get(event), dict):
        time = record[event].get("time")
        year = as_int(time.get("startYear")) if isinstance(time, dict) else None
    return year


def _contribution(contributor: dict[str, Any]) -> dict[str, Any]:
    """Tate writes the attribution as the contributor's role ('after', 'attributed to'):
    role 'artist' with that attribution, as the other sources' attributions read."""
    role = (clean(contributor.get("role")) or "artist").lower()
    if role in ATTRIBUTIONS:
        return {"role": "artist", "attribution": role}
    return {"role": role}


def _records(batch: SourceBatch, kind: str, file: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each readable line; malformed lines are rejected as KIND."""
    for line, record, error in iter_jsonl_gz(file):
        if record is None:
            batch.reject(kind, f"tate/{file.name}", f"line {line}", error or "unreadable")
        else:
            yield line, record


def _artists(batch: SourceBatch, file: Path) -> set[int]:
    ids: set[int] = set()
    where = f"tate/{file.name}"
    for line, record in _records(batch, "Artist", file):
        raw_id = as_int(record.get("id"))
        name = clean(record.get("fc")) or display_name(record.get("mda"))
        if raw_id is None or name is None:
            batch.reject("Artist", where, f"line {line}", "record has no id or no name")
            continue
        ids.add(raw_id)
        source_id = f"{SOURCE}:artist:{raw_id}"
        aliases = [a for a in (display_name(record.get("mda")),) if a and a != name]
        batch.add_artist(
            ArtistRecord(
                source_id,
                name,
                _year(record, "birth"),
                _year(record, "death"),
                props={"gender": clean(record.get("gender")), "url": clean(record.get("url"))},
                aliases=aliases,
            )
        )
        for event, rel in (("birth", "BORN_IN"), ("death", "DIED_IN")):
            place = _place(batch, record.get(event))
            if place:
                batch.add_rel(rel, source_id, place)
        for movement in record.get("movements") or []:
            movement_node = _movement(batch, movement) if isinstance(movement, dict) else None
            if movement_node:
                batch.add_rel("MEMBER_OF", source_id, movement_node, {"derived": False})
    return ids


def _artworks(batch: SourceBatch, file: Path, artist_ids: set[int]) -> None:
    where = f"tate/{file.name}"
    for line, record in _records(batch, "Artwork", file):
        raw_id = as_int(record.get("id"))
        if raw_id is None:
            batch.reject("Artwork", where, f"line {line}", "record has no id")
            continue
        node_id = f"{SOURCE}:artwork:{raw_id}"
        dates = record.get("dateRange") if isinstance(record.get("dateRange"), dict) else {}
        start, end = as_int(dates.get("startYear")), as_int(dates.get("endYear"))
        if not check_range(batch, node_id, start, end):
            start = end = None
        medium = clean(record.get("medium"))
        batch.add_node(
            "Artwork",
            node_id,
            {
                "title": clean(record.get("title")),
                "accession_number": clean(record.get("acno")),
                "date_text": clean(record.get("dateText")),
                **year_props(start, end),
                "medium": medium,
                "classification": clean(record.get("classification")),
                "acquisition_year": as_int(record.get("acquisitionYear")),
                "url": clean(record.get("url")),
                "thumbnail_url": clean(record.get("thumbnailUrl")),
            },
            node_id,
        )
        add_medium(batch, node_id, medium)
        for contributor in record.get("contributors") or []:
            artist = as_int(contributor.get("id")) if isinstance(contributor, dict) else None
            if artist is None:
                continue
            if artist not in artist_ids:
                batch.reject(
                    "CREATED_BY", where, f"artwork {raw_id}", f"dangling contributor id {artist}"
                )
                continue
            batch.add_rel(
                "CREATED_BY", node_id, f"{SOURCE}:artist:{artist}", _contribution(contributor)
            )
        for movement in record.get("movements") or []:
            movement_node = _movement(batch, movement) if isinstance(movement, dict) else None
            if movement_node:
                batch.add_rel("IN_STYLE", node_id, movement_node)
