"""The files a dataset is made of, written so that equal inputs give equal bytes.

manifest.parquet / manifest.csv  one row per image: artwork_id, image_path, label, split,
                                 artist_id, image_sha256 (sorted by artwork_id); detector
                                 datasets add crop and source
classes.txt                      the class names, one a line, sorted (line number = class index)
summary.json                     counts, what was dropped and why, the arguments, the query hash
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST_SCHEMA = pa.schema(
    [
        ("artwork_id", pa.string()),
        ("image_path", pa.string()),
        ("label", pa.string()),
        ("split", pa.string()),
        ("artist_id", pa.string()),
        ("image_sha256", pa.string()),
    ]
)
# Columns written only when a dataset has them (so other datasets' bytes stay as they were):
# crop "left,top,right,bottom" of a tile inside its file; source, the node id's prefix.
OPTIONAL_FIELDS = [pa.field("crop", pa.string()), pa.field("source", pa.string())]
MANIFEST_PARQUET = "manifest.parquet"
MANIFEST_CSV = "manifest.csv"
CLASSES = "classes.txt"
SUMMARY = "summary.json"
FILES = (MANIFEST_PARQUET, MANIFEST_CSV, CLASSES, SUMMARY)


def manifest_schema(frame: pd.DataFrame) -> pa.Schema:
    extra = [f for f in OPTIONAL_FIELDS if f.name in frame.columns]
    return pa.schema([*MANIFEST_SCHEMA, *extra])


def manifest_table(frame: pd.DataFrame) -> pa.Table:
    # An explicit schema and no pandas metadata: the bytes depend on the rows alone.
    schema = manifest_schema(frame)
    # pandas' string dtype holds missing values as NaN; the manifest stores them as null.
    columns = {
        name: [None if value is None or value != value else value for value in frame[name]]
        for name in schema.names
    }
    return pa.Table.from_pydict(columns, schema=schema)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_dataset(
    out_dir: Path, manifest: pd.DataFrame, classes: list[str], summary: dict[str, Any]
) -> str:
    """Write every file into a scratch folder beside OUT_DIR, then move them in, so a failure
    leaves no half-written dataset. Returns the parquet manifest's sha256."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        pq.write_table(manifest_table(manifest), scratch / MANIFEST_PARQUET, compression="zstd")
        manifest.loc[:, manifest_schema(manifest).names].to_csv(
            scratch / MANIFEST_CSV, index=False, lineterminator="\n"
        )
        (scratch / CLASSES).write_text("".join(f"{c}\n" for c in classes), encoding="utf-8")
        digest = sha256_file(scratch / MANIFEST_PARQUET)
        summary = {**summary, "manifest_sha256": digest}
        (scratch / SUMMARY).write_text(
            json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        out_dir.mkdir(exist_ok=True)
        for name in FILES:
            os.replace(scratch / name, out_dir / name)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(scratch)
    return digest


def read_summary(out_dir: Path) -> dict[str, Any]:
    return json.loads((Path(out_dir) / SUMMARY).read_text(encoding="utf-8"))


def read_manifest(out_dir: Path) -> pd.DataFrame:
    return pq.read_table(Path(out_dir) / MANIFEST_PARQUET).to_pandas()
