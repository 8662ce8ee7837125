"""Detector images as arrays: each manifest row decoded, cut to its tile, augmented and turned
into its two views once (the shared 144 px canvas, and the block spectra at the image's own
resolution), and cached in the data dir under a key made of the manifest's hash, the rows and
the preprocessing, so that a second training run starts at once."""

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
from ml.detectors import preprocess, spectra
from ml.detectors.preprocess import CANVAS, Augment

CLASSES = ["ai", "human"]  # model.json class list; scores are P(ai)
PLAIN, AUGMENTED, JPEG75 = "plain", "augmented", "jpeg75"
# Training views of each image: as stored, and two independent random augmentations (each at a
# random place for the spectra). Without the plain view the detectors missed untouched
# generated images (trained on re-compressed ones only).
TRAIN_VARIANTS = (PLAIN, AUGMENTED, f"{AUGMENTED}:2")


@dataclass(frozen=True)
class Split:
    rows: pd.DataFrame  # manifest rows: artwork_id, image_path, crop, label, source, ...
    images: np.ndarray  # N x V x CANVAS x CANVAS x 3 uint8, one per variant
    spectra: np.ndarray  # N x V x kinds x channels x BLOCK x BLOCK float16 (spectra.py)
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

    def variant_spectra(self, name: str) -> np.ndarray:
        return self.spectra[:, self.variants.index(name)]


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


def _variant(
    image: Image.Image, variant: str, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The canvas and the block spectra of IMAGE as VARIANT makes it."""
    if variant.split(":")[0] == AUGMENTED:
        image = preprocess.augment(image, rng, Augment())
        return preprocess.canvas(image), spectra.spectra(image, rng)
    if variant == JPEG75:
        image = preprocess.jpeg(image, 75)
    return preprocess.canvas(image), spectra.spectra(image)


def decode(
    rows: pd.DataFrame, variants: Sequence[str], seed: int, *, progress: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    out = np.empty((len(rows), len(variants), CANVAS, CANVAS, 3), dtype=np.uint8)
    shape = (len(spectra.KINDS), spectra.CHANNELS, spectra.BLOCK, spectra.BLOCK)
    spectral = np.empty((len(rows), len(variants), *shape), dtype=np.float16)
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
            out[i, v], spectral[i, v] = _variant(image, variant, rng)
    _open.cache_clear()
    return out, spectral


def cache_key(manifest_sha: str, rows: pd.DataFrame, variants: Sequence[str], seed: int) -> str:
    spec = {
        "manifest": manifest_sha,
        "rows": hashlib.sha256("\n".join(rows["artwork_id"]).encode()).hexdigest(),
        "variants": list(variants),
        "seed": seed,
        "augment": Augment().to_json(),
        "preprocessing": preprocess.preprocessing_config(),
        "spectra": spectra.spectra_config(),
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
    paths = (
        (cache_dir / f"{split}-{key}.npy", cache_dir / f"{split}-{key}.spectra.npy")
        if cache_dir
        else None
    )
    if paths is not None and all(path.is_file() for path in paths):
        images, spectral = (np.load(path, mmap_mode="r") for path in paths)
    else:
        images, spectral = decode(rows, variants, seed, progress=progress)
        if paths is not None:
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            for path, array in zip(paths, (images, spectral), strict=True):
                scratch = path.with_suffix(".tmp.npy")
                np.save(scratch, array)
                scratch.replace(path)
    return Split(rows, images, spectral, tuple(variants))
