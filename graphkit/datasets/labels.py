"""Labelled artworks from the graph: the Cypher in cypher/datasets/ does the joins."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from graphkit.errors import DatasetError
from graphkit.store import GraphStore

LABEL_QUERIES = {
    "artist": "datasets/label_via_artist",
    "artwork": "datasets/label_via_artwork",
    # ai (GeneratedImage tiles) vs human (Artwork images), for the AI-image detectors
    "source-kind": "datasets/label_via_source_kind",
}
COLUMNS = ["artwork_id", "image_path", "image_sha256", "image_phash", "label", "artist_ids"]
# Returned by some label queries only: where a tile lies inside its image file.
OPTIONAL_COLUMNS = ["crop"]


@dataclass(frozen=True)
class Labelled:
    rows: pd.DataFrame  # one row per artwork, sorted by artwork_id
    query_name: str
    query: str
    query_hash: str


def query_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fetch_labels(store: GraphStore, via: str, keep_attributed: bool = False) -> Labelled:
    """KEEP_ATTRIBUTED also labels works only attributed to the artist ('after', 'workshop
    of'; labelling via artist only)."""
    if via not in LABEL_QUERIES:
        raise DatasetError(f"unknown label source {via!r}: use one of {', '.join(LABEL_QUERIES)}")
    name = LABEL_QUERIES[via]
    text = store.text(name)
    result = store.read(name, keep_attributed=keep_attributed)
    present = [c for c in OPTIONAL_COLUMNS if result.rows and c in result.rows[0]]
    frame = pd.DataFrame(result.rows, columns=COLUMNS + present)
    if "crop" in frame:
        # A tile's box as text "left,top,right,bottom" (a manifest cell), absent for whole images.
        frame["crop"] = [",".join(str(int(v)) for v in c) if c else None for c in frame["crop"]]
    # Sorted and de-duplicated here too, so the order never depends on the engine.
    frame["artist_ids"] = [sorted(set(ids or [])) for ids in frame["artist_ids"]]
    frame = frame.sort_values("artwork_id", kind="stable").reset_index(drop=True)
    return Labelled(frame, name, text, query_hash(text))


def multi_movement_artists(store: GraphStore) -> pd.DataFrame:
    """Artists the unique-movement rule leaves out, with how many imaged artworks each has."""
    rows = store.read("datasets/multi_movement_artists").rows
    return pd.DataFrame(rows, columns=["artist_id", "movements", "artworks"])
