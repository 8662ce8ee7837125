"""Build a dataset: label artworks by Cypher, drop what cannot be trusted, split, write, record."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.datasets.dedupe import NEAR_DUPLICATE_BITS, label_conflicts, split_groups
from graphkit.datasets.labels import (
    LABEL_QUERIES,
    fetch_labels,
    multi_movement_artists,
    prefer_reviewed,
)
from graphkit.datasets.manifest import write_dataset
from graphkit.datasets.splits import SPLIT_NAMES, assign_splits
from graphkit.errors import DatasetError
from graphkit.store import GraphStore

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class BuildOptions:
    label_via: str
    min_per_class: int = 10
    max_per_class: int | None = None
    split: tuple[float, float, float] = (0.7, 0.15, 0.15)
    seed: int = 0
    keep_attributed: bool = False  # label works 'after' / 'workshop of' an artist as theirs
    prefer_reviewed: bool = True  # a person's review label beats the labelling query's

    def check(self) -> None:
        if self.label_via not in LABEL_QUERIES:
            raise DatasetError(
                f"--label-via {self.label_via!r}: use one of {', '.join(LABEL_QUERIES)}"
            )
        if self.min_per_class < 1:
            raise DatasetError("--min-per-class must be at least 1")
        if self.max_per_class is not None and self.max_per_class < self.min_per_class:
            raise DatasetError("--max-per-class must be at least --min-per-class")


def dataset_id(name: str) -> str:
    return f"dataset:{name}"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise DatasetError(
            f"dataset name {name!r}: use letters, digits, '.', '_' and '-' (up to 100), "
            "starting with a letter or digit"
        )
    return name


def _readable(path: Any) -> bool:
    return isinstance(path, str) and os.path.isfile(path) and os.access(path, os.R_OK)


def _cap_per_class(rows: pd.DataFrame, cap: int, seed: int) -> tuple[pd.DataFrame, int]:
    """At most CAP rows per class, chosen with a seeded generator from the sorted rows."""
    rng = np.random.default_rng([seed, 1])  # its own stream: the split order stays unchanged
    keep: list[int] = []
    for _, index in sorted(rows.groupby("label").groups.items()):
        index = np.sort(np.asarray(index))
        keep.extend(index if len(index) <= cap else np.sort(rng.choice(index, cap, replace=False)))
    kept = rows.loc[sorted(keep)].reset_index(drop=True)
    return kept, len(rows) - len(kept)


def build_dataset(
    store: GraphStore, name: str, options: BuildOptions, out_dir: Path
) -> dict[str, Any]:
    """Build dataset NAME into OUT_DIR and record it as a Dataset node; returns the summary."""
    check_name(name)
    options.check()
    labelled = fetch_labels(store, options.label_via, options.keep_attributed)
    reviews = None
    if options.prefer_reviewed:
        labelled, reviews = prefer_reviewed(store, labelled, options.label_via)
    rows = labelled.rows
    if rows.empty:
        raise DatasetError(
            f"no artworks match: labelling via {options.label_via} found no artwork with an "
            "image and a label; is the graph populated (graphkit populate ...)?"
        )
    found = len(rows)

    readable = rows["image_path"].map(_readable)
    missing = [
        {"artwork_id": r.artwork_id, "image_path": r.image_path}
        for r in rows[~readable].itertuples()
    ]
    rows = rows[readable].reset_index(drop=True)
    rows, conflicts = label_conflicts(rows)

    class_counts = rows["label"].value_counts()
    rare = {str(k): int(v) for k, v in class_counts[class_counts < options.min_per_class].items()}
    rows = rows[~rows["label"].isin(rare)].reset_index(drop=True)
    over_max = 0
    if options.max_per_class is not None:
        rows, over_max = _cap_per_class(rows, options.max_per_class, options.seed)
    if rows.empty:
        raise DatasetError(
            f"no artworks left: all {found} labelled artworks were dropped "
            f"({len(missing)} missing images, {len(conflicts)} conflicting images, "
            f"{len(rare)} classes under --min-per-class {options.min_per_class})"
        )

    open_pairs = store.read("datasets/possibly_same_pairs").rows
    same_artists = [(str(r["one"]), str(r["other"])) for r in open_pairs]
    groups, dup_stats = split_groups(rows, same_artists=same_artists)
    rows["split"] = assign_splits(groups, rows["label"], options.split, options.seed)
    rows["artist_id"] = [ids[0] if ids else None for ids in rows["artist_ids"]]
    if "crop" in rows:
        rows["source"] = [node_id.split(":", 1)[0] for node_id in rows["artwork_id"]]

    classes = sorted(rows["label"].unique())
    summary = _summary(name, options, labelled, rows, groups, classes, out_dir)
    summary["dropped"] = {
        "missing_images": missing,
        "label_conflicts": conflicts,
        "rare_classes": rare,
        "over_max_per_class": over_max,
    }
    summary["duplicates"] = {**dup_stats, "phash_max_bits": NEAR_DUPLICATE_BITS}
    summary["reviews"] = reviews
    if options.label_via == "artist":
        multi = multi_movement_artists(store)
        summary["multi_movement_artists"] = {
            "artists": len(multi),
            "artworks": int(multi["artworks"].sum()),
        }
    digest = write_dataset(out_dir, rows, classes, summary)
    summary["manifest_sha256"] = digest
    _record(store, summary, labelled.query)
    return summary


def _summary(
    name: str,
    options: BuildOptions,
    labelled: Any,
    rows: pd.DataFrame,
    groups: np.ndarray,
    classes: list[str],
    out_dir: Path,
) -> dict[str, Any]:
    created_ms = int(time.time() * 1000)
    split_class = {
        split: {str(k): int(v) for k, v in sorted(part["label"].value_counts().items())}
        for split in SPLIT_NAMES
        for part in [rows[rows["split"] == split]]
    }
    split_counts = {split: int((rows["split"] == split).sum()) for split in SPLIT_NAMES}
    warnings = [
        f"split {split} is empty"
        for split, frac in zip(SPLIT_NAMES, options.split, strict=True)
        if frac > 0 and split_counts[split] == 0
    ]
    warnings += [
        f"class {label} is missing from split {split} (too few artists to spread it)"
        for split, frac in zip(SPLIT_NAMES, options.split, strict=True)
        if frac > 0 and split_counts[split] > 0
        for label in classes
        if label not in split_class[split]
    ]
    arguments = asdict(options)
    arguments["split"] = list(options.split)
    return {
        "name": name,
        "id": dataset_id(name),
        "label_via": options.label_via,
        "arguments": arguments,
        "query_name": labelled.query_name,
        "query_hash": labelled.query_hash,
        "created_at": datetime.fromtimestamp(created_ms / 1000, UTC).isoformat(),
        "created_at_ms": created_ms,
        "out_dir": str(Path(out_dir).resolve()),
        "size": len(rows),
        "classes": classes,
        "class_counts": {c: int((rows["label"] == c).sum()) for c in classes},
        "split_counts": split_counts,
        "split_class_counts": split_class,
        "artists": int(rows["artist_id"].nunique()) if "artist_id" in rows else 0,
        "groups": len(np.unique(groups)),
        "warnings": warnings,
    }


def _record(store: GraphStore, summary: dict[str, Any], query: str) -> None:
    classes = summary["classes"]
    row = {
        "id": summary["id"],
        "name": summary["name"],
        "label_via": summary["label_via"],
        "query_name": summary["query_name"],
        "query": query,
        "query_hash": summary["query_hash"],
        "arguments": json.dumps(summary["arguments"], sort_keys=True),
        "classes": classes,
        "counts": [summary["class_counts"][c] for c in classes],
        "counts_json": json.dumps(summary["class_counts"], sort_keys=True),
        "split_counts_json": json.dumps(summary["split_class_counts"], sort_keys=True),
        "size": summary["size"],
        "manifest_sha256": summary["manifest_sha256"],
        "out_dir": summary["out_dir"],
        "created_at": summary["created_at_ms"],
    }
    saved = store.write("datasets/save_dataset", rows=[row]).value("saved")
    if not saved:
        raise DatasetError(f"the graph did not record dataset {summary['name']!r}")


def find_dataset(store: GraphStore | None, name: str, default_root: Path) -> Path:
    """The folder of dataset NAME: where its Dataset node says, else DEFAULT_ROOT/NAME."""
    check_name(name)
    candidates: list[Path] = []
    known: list[str] = []
    if store is not None:
        node = store.read("datasets/get_dataset", id=dataset_id(name)).rows
        if node and node[0].get("out_dir"):
            candidates.append(Path(node[0]["out_dir"]))
        known = [r["name"] for r in store.read("datasets/list_datasets").rows]
    candidates.append(Path(default_root) / name)
    for folder in candidates:
        if (folder / "summary.json").is_file():
            return folder
    hint = f"; known datasets: {', '.join(known)}" if known else "; no dataset has been built"
    if candidates[:-1]:
        raise DatasetError(
            f"dataset {name!r} is recorded in the graph but its files are gone from {candidates[0]}"
        )
    raise DatasetError(f"unknown dataset {name!r}{hint}")
