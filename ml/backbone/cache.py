"""The backbone's statistics of every image, computed once: a SQLite table keyed by the image
(file sha256, plus the tile's box for a generated tile) and the backbone's version, so that
training, `embed`, `predict` and the main job never run the backbone twice over one image.

SQLite because a killed run must lose nothing already stored (each batch is one transaction)
and two processes may read and write the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS features (
    backbone TEXT NOT NULL,
    image TEXT NOT NULL,
    stats BLOB NOT NULL,
    PRIMARY KEY (backbone, image)
) WITHOUT ROWID
"""


def image_key(sha256: str, crop: Sequence[int] | str | None = None) -> str:
    """One image's key: the file's sha256, and the box of a tile cut out of it."""
    if crop is None or crop == "":
        return sha256
    box = crop if isinstance(crop, str) else ",".join(str(int(v)) for v in crop)
    return f"{sha256}@{box}"


class FeatureCache:
    """Statistics vectors (float32 [D]) of one backbone version, by image key."""

    def __init__(self, path: Path, backbone: str, width: int) -> None:
        self.path = Path(path)
        self.backbone = backbone
        self.width = width
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FeatureCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The KEYS that have no statistics yet, in their order."""
        wanted = list(dict.fromkeys(keys))
        have = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            have.update(
                row[0]
                for row in self._db.execute(
                    f"SELECT image FROM features WHERE backbone = ? AND image IN ({marks})",
                    (self.backbone, *chunk),
                )
            )
        return [key for key in wanted if key not in have]

    def put(self, keys: Sequence[str], stats: np.ndarray) -> None:
        """Store one batch in one transaction."""
        if stats.shape != (len(keys), self.width):
            raise ValueError(f"statistics of shape {stats.shape} for {len(keys)} images")
        rows = [
            (self.backbone, key, np.asarray(row, dtype=np.float32).tobytes())
            for key, row in zip(keys, stats, strict=True)
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO features VALUES (?, ?, ?)", rows)

    def get(self, keys: Sequence[str]) -> np.ndarray:
        """The statistics of KEYS [N, D]; KeyError naming the first key not stored."""
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self._db.execute(
                    f"SELECT image, stats FROM features WHERE backbone = ? AND image IN ({marks})",
                    (self.backbone, *chunk),
                ).fetchall()
            )
        out = np.empty((len(keys), self.width), dtype=np.float32)
        for i, key in enumerate(keys):
            if key not in found:
                raise KeyError(key)
            out[i] = np.frombuffer(found[key], dtype=np.float32)
        return out

    def count(self) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM features WHERE backbone = ?", (self.backbone,)
            ).fetchone()[0]
        )
