"""Small real copies of the five sources, for the sync and prediction tests: the first rows of
each index file of ../shared/data written to a temporary folder in its own format, and the
images they name linked (not copied). Tests then change these copies as a source would."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from graphkit.sources import DEFAULT_SUBDIRS
from graphkit.sources.datathon import TABLES

# The styles of the tiny movement model's slice (tests/movement_helpers.py).
WIKIART_STYLES = ("Baroque", "Minimalism", "Pointillism", "Ukiyo_e")


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl_gz(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)


def copy_tate(shared: Path, out: Path, artworks: int = 200) -> Path:
    """The first ARTWORKS artworks and every artist they name."""
    works = read_jsonl_gz(shared / "tate" / "artworks.jsonl.gz")[:artworks]
    named = {c.get("id") for w in works for c in w.get("contributors") or []}
    artists = [a for a in read_jsonl_gz(shared / "tate" / "artists.jsonl.gz") if a["id"] in named]
    write_jsonl_gz(out / "artists.jsonl.gz", artists)
    write_jsonl_gz(out / "artworks.jsonl.gz", works)
    return out


def copy_datathon(shared: Path, out: Path, artworks: int = 200) -> Path:
    """Every table, with the first ARTWORKS artworks and only the links between those."""
    out.mkdir(parents=True, exist_ok=True)
    frames = {t: pd.read_parquet(shared / "datathon" / f"{t}.parquet.gzip") for t in TABLES}
    kept = frames["Artwork"] = frames["Artwork"].head(artworks)
    rec = frames["Recommendation"]
    frames["Recommendation"] = rec[
        rec["artwork"].isin(kept["id"]) & rec["recommended"].isin(kept["id"])
    ]
    frames["Generated"] = frames["Generated"][
        frames["Generated"]["source_artwork"].isin(kept["id"])
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
