"""Small real copies of the five sources, for the sync and prediction tests: the first rows of
each index file of ../shared/data written to a temporary folder in its own format, and the
images they name linked (not copied). Tests then change these copies as a source would."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pandas as pd

from graphkit.sources import DEFAULT_SUBDIRS
from graphkit.sources.datathon import TABLES

# The styles of the tiny movement model's slice (tests/movement_helpers.py).
WIKIART_STYLES = ("Baroque", "Minimalism", "Pointillism", "Ukiyo_e")


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def iter_jsonl_gz(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from (json.loads(line) for line in handle if line.strip())


def materialize(link: Path) -> Path:
    """Replace a linked image by a copy of its own, as a source that owns its files has: the
    graph then names this file (image paths are resolved), which a test may change."""
    target = link.resolve()
    link.unlink()
    shutil.copyfile(target, link)
    return link


def read_jsonl_gz(path: Path, limit: int | None = None) -> list[dict]:
    return list(islice(iter_jsonl_gz(path), limit))


def write_jsonl_gz(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)


def copy_tate(shared: Path, out: Path, artworks: int = 120) -> Path:
    """The first ARTWORKS artworks and every artist they name."""
    works = read_jsonl_gz(shared / "tate" / "artworks.jsonl.gz", artworks)
    named = {c.get("id") for w in works for c in w.get("contributors") or []}
    artists = [a for a in read_jsonl_gz(shared / "tate" / "artists.jsonl.gz") if a["id"] in named]
    write_jsonl_gz(out / "artists.jsonl.gz", artists)
    write_jsonl_gz(out / "artworks.jsonl.gz", works)
    return out


# Datathon link tables and the columns that name an artist.
ARTIST_LINKS = {
    "ArtistMovements": ("artist_id",),
    "ArtistEducation": ("artist_id",),
    "ArtistSpecializations": ("artist_id",),
    "Apprenticeship": ("student_id", "teacher_id"),
}


def copy_datathon(shared: Path, out: Path, artworks: int = 120) -> Path:
    """Every table, cut to ARTWORKS artworks (two per artist, in file order), their artists
    and the links between those (the small lookup tables whole)."""
    out.mkdir(parents=True, exist_ok=True)
    frames = {t: pd.read_parquet(shared / "datathon" / f"{t}.parquet.gzip") for t in TABLES}
    works = frames["Artwork"] = frames["Artwork"].groupby("artist").head(2).head(artworks)
    artists = frames["Artist"] = frames["Artist"][frames["Artist"]["id"].isin(works["artist"])]
    for table, columns in ARTIST_LINKS.items():
        frame = frames[table]
        frames[table] = frame[frame[list(columns)].isin(list(artists["id"])).all(axis=1)]
    rec = frames["Recommendation"]
    frames["Recommendation"] = rec[
        rec["artwork"].isin(works["id"]) & rec["recommended"].isin(works["id"])
    ]
    frames["Generated"] = frames["Generated"][
        frames["Generated"]["source_artwork"].isin(works["id"])
    ]
    for table, frame in frames.items():
        frame.to_parquet(out / f"{table}.parquet.gzip", compression="gzip", index=False)
    return out


def copy_aic(shared: Path, out: Path, paintings: int = 8) -> Path:
    records = json.loads((shared / "aic_paintings" / "paintings.json").read_text("utf-8"))
    records = records[:paintings]
    for record in records:
        _link(
            shared / "aic_paintings" / "images" / record["image"], out / "images" / record["image"]
        )
    (out / "paintings.json").write_text(json.dumps(records), "utf-8")
    return out


def copy_generated(shared: Path, out: Path, grids: int = 6) -> Path:
    records = json.loads((shared / "ai_generated" / "grids.json").read_text("utf-8"))[:grids]
    for record in records:
        _link(shared / "ai_generated" / "grids" / record["Image"], out / "grids" / record["Image"])
    (out / "grids.json").write_text(json.dumps(records), "utf-8")
    return out


def copy_wikiart(shared: Path, out: Path, per_style: int = 8) -> Path:
    for style in WIKIART_STYLES:
        for image in sorted((shared / "wikiart" / style).glob("*.jpg"))[:per_style]:
            _link(image, out / style / image.name)
    return out


COPIERS = {
    "tate": copy_tate,
    "datathon": copy_datathon,
    "aic": copy_aic,
    "generated": copy_generated,
    "wikiart": copy_wikiart,
}


def small_sources(shared: Path, out: Path) -> Path:
    """All five, laid out as `populate all` / `sync all` expect them under OUT."""
    for source, sub in DEFAULT_SUBDIRS.items():
        COPIERS[source](shared, out / sub)
    return out
