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
# The predictions whose reviews each labelling can take: a person's label beats the query's.
REVIEW_TASKS = {"artist": "movement", "artwork": "movement", "source-kind": "detector"}
REVIEW_QUERY = "datasets/reviewed_labels"


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
    return Labelled(_frame(result.rows, COLUMNS + present), name, text, query_hash(text))


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    if "crop" in frame:
        # A tile's box as text "left,top,right,bottom" (a manifest cell), absent for whole images.
        frame["crop"] = [",".join(str(int(v)) for v in c) if c else None for c in frame["crop"]]
    # Sorted and de-duplicated here too, so the order never depends on the engine.
    frame["artist_ids"] = [sorted(set(ids or [])) for ids in frame["artist_ids"]]
    return frame.sort_values("artwork_id", kind="stable").reset_index(drop=True)


def prefer_reviewed(store: GraphStore, labelled: Labelled, via: str) -> tuple[Labelled, dict]:
    """LABELLED with each reviewed artwork's latest review label in place of the query's (or
    added, when the query left it out), so that a correction reaches the next model. The
    recorded query is both texts, the hash theirs together."""
    columns = list(labelled.rows.columns)
    reviewed = store.read(REVIEW_QUERY, task=REVIEW_TASKS[via]).rows
    # Oldest first from the query: the last review of an artwork is the one that stands.
    latest = _frame(reviewed, COLUMNS + OPTIONAL_COLUMNS)
    latest = latest.iloc[::-1].drop_duplicates("artwork_id")  # sort above was stable
    if "crop" not in columns:  # a dataset of whole images takes no tile
        latest = latest[latest["crop"].isna()]
    latest = latest[columns]
    before = labelled.rows.set_index("artwork_id")["label"]
    known = latest["artwork_id"].isin(before.index)
    same = known & (latest["label"].values == before.reindex(latest["artwork_id"]).values)
    counts = {
        "reviewed": len(latest),
        "confirmed": int(same.sum()),
        "corrected": int((known & ~same).sum()),
        "added": int((~known).sum()),
    }
    if latest.empty:
        return labelled, counts
    rows = pd.concat(
        [labelled.rows[~labelled.rows["artwork_id"].isin(latest["artwork_id"])], latest]
    )
    rows = rows.sort_values("artwork_id", kind="stable").reset_index(drop=True)
    text = f"{labelled.query}\n\n// preferring reviewed labels:\n{store.text(REVIEW_QUERY)}"
    name = f"{labelled.query_name}+{REVIEW_QUERY}"
    return Labelled(rows, name, text, query_hash(text)), counts


def multi_movement_artists(store: GraphStore) -> pd.DataFrame:
    """Artists the unique-movement rule leaves out, with how many imaged artworks each has."""
    rows = store.read("datasets/multi_movement_artists").rows
    return pd.DataFrame(rows, columns=["artist_id", "movements", "artworks"])
