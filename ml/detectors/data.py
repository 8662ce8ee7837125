"""Detector images as arrays: each manifest row decoded, cut to its tile, augmented and
preprocessed once, and cached in the data dir under a key made of the manifest's hash, the rows
and the preprocessing, so that a second training run starts at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from tqdm import tqdm

from graphkit.errors import DatasetError, ImageError
from ml.detectors import preprocess
from ml.detectors.preprocess import CANVAS, Augment

CLASSES = ["ai", "human"]  # model.json class list; scores are P(ai)
PLAIN, AUGMENTED, JPEG75 = "plain", "augmented", "jpeg75"


@dataclass(frozen=True)
class Split:
    rows: pd.DataFrame  # manifest rows: artwork_id, image_path, crop, label, source, ...
    images: np.ndarray  # N x V x CANVAS x CANVAS x 3 uint8, one per variant
    variants: tuple[str, ...]

    @property
    def y(self) -> np.ndarray:
        """1 for ai, 0 for human: the detectors score P(ai)."""
        return (self.rows["label"].to_numpy() == "ai").astype(np.int64)

    @property
    def sources(self) -> np.ndarray:
        return self.rows["source"].to_numpy()

    def variant(self, name: str) -> np.ndarray:
        return self.images[:, self.variants.index(name)]


def select(
    manifest: pd.DataFrame, split: str, *, max_per_class: int | None, seed: int
) -> pd.DataFrame:
    """The SPLIT rows, at most MAX_PER_CLASS of each class (a seeded sample; the AIC museum
    photographs are always kept, since they are few and the hardest case)."""
    rows = manifest[manifest["split"] == split]
    if max_per_class is None:
        return rows.reset_index(drop=True)
    rng = np.random.default_rng([seed, 7])
    keep: list[pd.DataFrame] = []
    for _label, part in rows.groupby("label", sort=True):
        always = part[part["source"] == "aic"]
        rest = part[part["source"] != "aic"]
        room = max(0, max_per_class - len(always))
        if len(rest) > room:
            rest = rest.iloc[np.sort(rng.choice(len(rest), room, replace=False))]
        keep += [always, rest]
    return pd.concat(keep).sort_values("artwork_id").reset_index(drop=True)


@lru_cache(maxsize=2)  # the four tiles of a grid are adjacent rows: decode the file once
def _open(path: str) -> Image.Image:
    return preprocess.load(path)


def _variant(image: Image.Image, variant: str, rng: np.random.Generator) -> np.ndarray:
    if variant == AUGMENTED:
        image = preprocess.augment(image, rng, Augment())
    elif variant == JPEG75:
        image = preprocess.jpeg(image, 75)
    return preprocess.canvas(image)


def decode(
    rows: pd.DataFrame, variants: Sequence[str], seed: int, *, progress: bool = False
) -> np.ndarray:
    out = np.empty((len(rows), len(variants), CANVAS, CANVAS, 3), dtype=np.uint8)
    items = zip(rows["image_path"], rows["crop"], rows["artwork_id"], strict=True)
    for i, (path, crop, row_id) in enumerate(
        tqdm(items, total=len(rows), desc="decoding", disable=not progress, leave=False)
    ):
        try:
            image = _open(str(path))
        except ImageError as exc:
            raise DatasetError(f"dataset image {row_id}: {exc}") from exc
        box = preprocess.parse_crop(crop if isinstance(crop, str) else None)
        if box:
            image = image.crop(box)
        # Each row's randomness depends on the seed and its id only, not on the row order.
        row_seed = int.from_bytes(hashlib.sha256(f"{seed}:{row_id}".encode()).digest()[:8])
        rng = np.random.default_rng(row_seed)
        for v, variant in enumerate(variants):
            out[i, v] = _variant(image, variant, rng)
    _open.cache_clear()
    return out


def cache_key(manifest_sha: str, rows: pd.DataFrame, variants: Sequence[str], seed: int) -> str:
    spec = {
        "manifest": manifest_sha,
        "rows": hashlib.sha256("\n".join(rows["artwork_id"]).encode()).hexdigest(),
        "variants": list(variants),
        "seed": seed,
        "augment": Augment().to_json(),
        "preprocessing": preprocess.preprocessing_config(),
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:24]


def load_split(
    manifest: pd.DataFrame,
    manifest_sha: str,
    split: str,
    variants: Sequence[str],
    *,
    cache_dir: Path | None,
    max_per_class: int | None = None,
    seed: int = 0,
    progress: bool = False,
) -> Split:
    rows = select(manifest, split, max_per_class=max_per_class, seed=seed)
    if rows.empty:
        raise DatasetError(f"the detector dataset has no {split} images")
    if "crop" not in rows:
        raise DatasetError(
            "not a detector dataset (no crop column): build it with --label-via source-kind"
        )
    key = cache_key(manifest_sha, rows, variants, seed)
    path = cache_dir / f"{split}-{key}.npy" if cache_dir else None
    if path is not None and path.is_file():
        images = np.load(path, mmap_mode="r")
    else:
        images = decode(rows, variants, seed, progress=progress)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_suffix(".tmp.npy")
            np.save(scratch, images)
            scratch.replace(path)
    return Split(rows, images, tuple(variants))
