"""The KU Leuven datathon tables (parquet): artists, artworks, movements, places and their links."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from graphkit.identity import ArtistRecord
from graphkit.normalize import (
    as_int,
    clean,
    keyed_id,
    parse_year,
    year_props,
)
from graphkit.records import SourceBatch
from graphkit.sources.common import (
    add_movement,
    add_place_chain,
    artist_name,
    creator_props,
    read_parquet,
    require_dir,
)

SOURCE = "datathon"
TABLES: dict[str, tuple[str, ...]] = {
    "Artist": ("id", "name", "birthplace", "deathplace", "birthdate", "deathdate"),
    "Artwork": ("id", "name", "artist", "year", "medium"),
    "Movement": ("id", "name"),
    "Academy": ("id", "name"),
    "Medium": ("id", "name"),
    "Specialization": ("id", "name"),
    "Places": ("id", "name", "parent"),
    "ArtistMovements": ("artist_id", "movement_id"),
    "ArtistEducation": ("artist_id", "academy_id"),
    "ArtistSpecializations": ("artist_id", "specialty_id"),
    "Apprenticeship": ("student_id", "teacher_id"),
    "Recommendation": ("artwork", "recommended"),
    "Generated": ("source_artwork", "url"),
}
# Table → (node label, id prefix) for the simple named lookups.
NAMED_TABLES = {"Academy": "academy", "Medium": "medium", "Specialization": "specialization"}


def read(path: Path) -> SourceBatch:
    require_dir(path)
    frames = {
        name: read_parquet(path / f"{name}.parquet.gzip", cols).to_dict("records")
        for name, cols in TABLES.items()
    }
    batch = SourceBatch(SOURCE)
    movements = _movements(batch, frames["Movement"])
    named = {table: _named(batch, table, frames[table]) for table in NAMED_TABLES}
    places = _places(batch, frames["Places"])
    artists = _artists(batch, frames["Artist"], places)
    artworks = _artworks(batch, frames["Artwork"], artists, named["Medium"])
    _links(
        batch,
        "ArtistMovements",
        frames["ArtistMovements"],
        "MEMBER_OF",
        ("artist_id", artists),
        ("movement_id", movements),
        {"derived": False},
    )
    _links(
        batch,
        "ArtistEducation",
        frames["ArtistEducation"],
        "EDUCATED_AT",
        ("artist_id", artists),
        ("academy_id", named["Academy"]),
    )
    _links(
        batch,
        "ArtistSpecializations",
        frames["ArtistSpecializations"],
        "SPECIALIZED_IN",
        ("artist_id", artists),
        ("specialty_id", named["Specialization"]),
    )
    _links(
        batch,
        "Apprenticeship",
        frames["Apprenticeship"],
        "APPRENTICE_OF",
        ("student_id", artists),
        ("teacher_id", artists),
    )
    _links(
        batch,
        "Recommendation",
        frames["Recommendation"],
        "RECOMMENDS",
        ("artwork", artworks),
        ("recommended", artworks),
    )
    _generated(batch, frames["Generated"], artworks)
    return batch


def _file(table: str) -> str:
    return f"datathon/{table}.parquet.gzip"


def _movements(batch: SourceBatch, rows: list[dict[str, Any]]) -> dict[int, str]:
    ids = {}
    for number, row in enumerate(rows):
        raw_id = as_int(row["id"])
        node_id = (
            add_movement(
                batch,
                row["name"],
                f"{SOURCE}:movement:{raw_id}",
                {"description": row.get("description")},
            )
            if raw_id is not None
            else None
        )
        if raw_id is None or node_id is None:
            batch.reject("Movement", _file("Movement"), number, "row has no id or no name")
            continue
        ids[raw_id] = node_id
    return ids


def _named(batch: SourceBatch, table: str, rows: list[dict[str, Any]]) -> dict[int, str]:
    prefix = NAMED_TABLES[table]
    ids = {}
    for number, row in enumerate(rows):
        raw_id, name = as_int(row["id"]), clean(row["name"])
        if raw_id is None or name is None:
            batch.reject(table, _file(table), number, "row has no id or no name")
            continue
        ids[raw_id] = keyed_id(prefix, name)
        batch.add_node(
            table,
            ids[raw_id],
            {"name": name, "description": row.get("description")},
            f"{SOURCE}:{prefix}:{raw_id}",
        )
    return ids


def _places(batch: SourceBatch, rows: list[dict[str, Any]]) -> dict[int, str]:
    """Each place with the chain of its parents, put under its country by the shared place
    rules (sources/common.add_place_chain), so that the datathon's 'England' or 'Papal States'
    meet the other sources' countries. Returns place id → the leaf's node id."""
    by_id = {as_int(r["id"]): r for r in rows if as_int(r["id"]) is not None}
    parents = {pid: as_int(r["parent"]) for pid, r in by_id.items()}

    def chain(pid: int) -> list[str]:
        names, seen = [], set()
        while pid is not None and pid in by_id and pid not in seen:
            seen.add(pid)
            names.append(str(by_id[pid]["name"] or ""))
            pid = parents.get(pid)
        return names[::-1]

    ids = {}
    for number, row in enumerate(rows):
        pid = as_int(row["id"])
        if pid is None or clean(row["name"]) is None:
            batch.reject("Place", _file("Places"), number, "row has no id or no name")
            continue
        parent = parents.get(pid)
        if parent is not None and parent not in by_id:
            batch.reject("LOCATED_IN", _file("Places"), pid, f"dangling parent id {parent}")
        leaf = add_place_chain(batch, chain(pid), None, f"{SOURCE}:place:{pid}")
        if leaf is None:
            batch.reject("Place", _file("Places"), pid, f"{row['name']!r} names no place")
            continue
        ids[pid] = leaf
    return ids


def _artists(
    batch: SourceBatch, rows: list[dict[str, Any]], places: dict[int, str]
) -> dict[int, str]:
    ids = {}
    for number, row in enumerate(rows):
        raw_id, person = as_int(row["id"]), artist_name(batch, row["name"], _file("Artist"))
        if raw_id is None or person is None:
            batch.reject("Artist", _file("Artist"), number, "row has no id or no name")
            continue
        source_id = f"{SOURCE}:artist:{raw_id}"
        ids[raw_id] = source_id
        batch.add_artist(
            ArtistRecord(
                source_id,
                person.name,
                parse_year(row["birthdate"]),
                parse_year(row["deathdate"]),
                props={
                    "birth_date": clean(row["birthdate"]),
                    "death_date": clean(row["deathdate"]),
                    "url": clean(row.get("url")),
                    "summary": clean(row.get("summary")),
                    "cause_of_death": clean(row.get("cause_of_death")),
                },
                attribution=person.attribution,
            )
        )
        for column, rel in (("birthplace", "BORN_IN"), ("deathplace", "DIED_IN")):
            target = (as_int(row[column]), places, f"{column} id")
            _link(batch, rel, source_id, target, ("Artist", raw_id))
    return ids


def _artworks(
    batch: SourceBatch, rows: list[dict[str, Any]], artists: dict[int, str], mediums: dict[int, str]
) -> dict[int, str]:
    ids = {}
    for number, row in enumerate(rows):
        raw_id, title = as_int(row["id"]), clean(row["name"])
        if raw_id is None:
            batch.reject("Artwork", _file("Artwork"), number, "row has no id")
            continue
        artist = as_int(row["artist"])
        if artist not in artists:
            batch.reject("Artwork", _file("Artwork"), raw_id, f"dangling artist id {artist}")
            continue
        node_id = ids[raw_id] = f"{SOURCE}:artwork:{raw_id}"
        year = parse_year(row["year"])
        batch.add_node(
            "Artwork",
            node_id,
            {
                "title": title,
                **year_props(year),
                "rating": row.get("rating"),
                "url": clean(row.get("url")),
                "image_url": clean(row.get("image_url")),
                "summary": clean(row.get("summary")),
                "location": clean(row.get("location")),
            },
            node_id,
        )
        batch.add_rel("CREATED_BY", node_id, artists[artist], creator_props(batch, artists[artist]))
        target = (as_int(row["medium"]), mediums, "medium id")
        _link(batch, "USES", node_id, target, ("Artwork", raw_id))
    return ids


def _link(
    batch: SourceBatch,
    rel: str,
    start: str,
    target: tuple[int | None, dict[int, str], str],
    where: tuple[str, Any],
) -> None:
    """START -[REL]-> the node a table id points at; an id nobody has is reported as dangling.
    TARGET is (id or None, id → node id, what the id is); WHERE is (table, row)."""
    ref, ids, what = target
    if ref is None:
        return
    if ref in ids:
        batch.add_rel(rel, start, ids[ref])
    else:
        batch.reject(rel, _file(where[0]), where[1], f"dangling {what} {ref}")


def _links(
    batch: SourceBatch,
    table: str,
    rows: list[dict[str, Any]],
    rel: str,
    start: tuple[str, dict[int, str]],
    end: tuple[str, dict[int, str]],
    props: dict[str, Any] | None = None,
) -> None:
    (start_col, start_ids), (end_col, end_ids) = start, end
    for number, row in enumerate(rows):
        a, b = as_int(row[start_col]), as_int(row[end_col])
        if a is None or b is None:
            batch.reject(rel, _file(table), number, f"row lacks {start_col} or {end_col}")
        elif a not in start_ids:
            batch.reject(rel, _file(table), number, f"dangling {start_col} {a}")
        elif b not in end_ids:
            batch.reject(rel, _file(table), number, f"dangling {end_col} {b}")
        else:
            batch.add_rel(rel, start_ids[a], end_ids[b], props)


def _generated(batch: SourceBatch, rows: list[dict[str, Any]], artworks: dict[int, str]) -> None:
    """Images generated from an artwork; only their URL survives (the bucket is offline)."""
    for number, row in enumerate(rows):
        url, artwork = clean(row["url"]), as_int(row["source_artwork"])
        if url is None:
            batch.reject("GeneratedImage", _file("Generated"), number, "row has no url")
            continue
        if artwork not in artworks:
            batch.reject(
                "GeneratedImage", _file("Generated"), number, f"dangling source_artwork {artwork}"
            )
            continue
        filename = unquote(url.rsplit("/", 1)[-1])
        node_id = f"{SOURCE}:generated:{filename.rsplit('.', 1)[0]}"
        batch.add_node(
            "GeneratedImage",
            node_id,
            {"url": url, "prompt": filename.rsplit(".", 1)[0], "generator": "datathon"},
            node_id,
        )
        batch.add_rel("BASED_ON", node_id, artworks[artwork])
