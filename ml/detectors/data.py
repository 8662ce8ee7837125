"""Detector images as features, computed once and cached.

Each manifest row is decoded (a generated tile cut from its grid), turned into its views, and
each view into what the detectors read:

- training rows: VIEWS random views each (containers.random_view: random crop, size and
  container, the same recipe for both classes); the stored file itself is never a training
  view, or its size and format would teach the class again;
- validation and test rows: the battery's transformations (battery.py), as_stored first.

The parts computed per view (only those asked for): `svm` (svm-dct's 721 features), `stats`
(the frozen backbone's statistics of the view's 224 px square), `crops` and `fft` (gfnet's two
inputs). The cache key holds the manifest's hash, the rows, the variants, the seed, the recipe
and the feature versions, so a second training run starts at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image

from graphkit.errors import DatasetError, ImageError
from graphkit.progress import progress_bar
from ml.detectors import battery, preprocess, spectra
from ml.detectors.containers import Recipe, random_view
from ml.detectors.dct_features import features as svm_features
from ml.detectors.views import THREADS, in_chunks, one_blas_thread, views
from ml.movement.data import square

CLASSES = ["ai", "human"]  # model.json class list; scores are P(ai)
VIEWS = 2  # random views per training image
FEATURES_VERSION = 6  # bump when a part's values change (3: canonical views, random containers;
# 4: svm colour spreads exact, where float32 sums of squares were off by up to 2e-3;
# 5: the canonical square box-reduced then bilinear, the crop a 2 x 2 mean: 5x cheaper;
# 6: DCT log floors raised above codec noise, the DCT residual channel from the luma's own
# coefficients, its edges mirrored)
PARTS = ("svm", "stats", "crops", "fft")
CHUNK = 64  # rows decoded together (their backbone statistics run as one batch)


def train_variants(count: int = VIEWS) -> tuple[str, ...]:
    return tuple(f"view:{i}" for i in range(count))


@dataclass(frozen=True)
class Split:
    rows: pd.DataFrame  # manifest rows: artwork_id, image_path, crop, label, source, artist_id
    variants: tuple[str, ...]
    parts: dict[str, np.ndarray]  # part -> [N, V, ...]

    @property
    def y(self) -> np.ndarray:
        """1 for ai, 0 for human: the detectors score P(ai)."""
        return (self.rows["label"].to_numpy() == "ai").astype(np.int64)

    @property
    def sources(self) -> np.ndarray:
        return self.rows["source"].to_numpy()

    @property
    def artists(self) -> np.ndarray:
        return self.rows["artist_id"].fillna(self.rows["artwork_id"]).to_numpy()

    def part(self, name: str, variant: str | None = None) -> np.ndarray:
        """Part NAME [N, V, ...], or [N, ...] of one VARIANT."""
        if name not in self.parts:
            raise KeyError(f"this split was built without the {name!r} part")
        array = self.parts[name]
        return array if variant is None else array[:, self.variants.index(variant)]

    def stacked(
        self, name: str, variants: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every variant (or the first VARIANTS) of part NAME as rows, variant by variant, with
        labels, sources and artists repeated."""
        array = self.part(name)
        repeat = len(self.variants) if variants is None else min(variants, len(self.variants))
        array = array[:, :repeat].transpose(1, 0, *range(2, array.ndim))
        flat = array.reshape(len(self.rows) * repeat, *array.shape[2:])
        return (
            flat,
            np.tile(self.y, repeat),
            np.tile(self.sources, repeat),
            np.tile(self.artists, repeat),
        )


def select(
    manifest: pd.DataFrame, split: str, *, max_per_class: int | None, seed: int
) -> pd.DataFrame:
    """The SPLIT rows, at most MAX_PER_CLASS of each class (a seeded sample; the AIC museum
    photographs are always kept, since they are few and the hardest case)."""
    rows = manifest[manifest["split"] == split]
    if max_per_class is None:
        return rows.sort_values("artwork_id").reset_index(drop=True)
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


def row_image(row: Any) -> Image.Image:
    """The row's image, cut to its tile (DatasetError naming the row when unusable)."""
    crop = row.crop if isinstance(getattr(row, "crop", None), str) else None
    try:
        return preprocess.load(str(row.image_path), preprocess.parse_crop(crop))
    except ImageError as exc:
        raise DatasetError(f"dataset image {row.artwork_id}: {exc}") from exc


def variant_image(
    image: Image.Image, is_ai: bool, variant: str, rng: np.random.Generator, recipe: Recipe
) -> Image.Image:
    if variant.startswith("view:"):
        return random_view(image, rng, recipe)
    return battery.transform(image, is_ai, variant)


def _row_seed(seed: int, row_id: str) -> int:
    # Each row's randomness depends on the seed and its id only, not on the row order.
    return int.from_bytes(hashlib.sha256(f"{seed}:{row_id}".encode()).digest()[:8])


StatsRunner = Callable[[np.ndarray], np.ndarray]  # uint8 squares [N, S, S, 3] -> stats [N, D]


SPECTRAL_PARTS = ("svm", "crops", "fft")


def spectral_parts(images: Sequence[Image.Image], wanted: set[str]) -> dict[str, np.ndarray]:
    """The spectral parts WANTED (svm, crops, fft) of IMAGES, from their canonical squares: the
    one path training views and scored images both take. Chunks of a batch run side by side."""
    if not wanted & set(SPECTRAL_PARTS):
        return {}
    done = in_chunks(lambda chunk: _spectral_parts(chunk, wanted), images)
    return {name: np.concatenate([parts[name] for parts in done]) for name in done[0]}


def _spectral_parts(images: Sequence[Image.Image], wanted: set[str]) -> dict[str, np.ndarray]:
    kinds = tuple(k for k, part in (("dct", "svm"), ("fft", "fft")) if part in wanted) or ("dct",)
    crops, block_spectra = views(images, kinds)
    out: dict[str, np.ndarray] = {}
    if "svm" in wanted:
        out["svm"] = svm_features(crops, block_spectra)
    if "crops" in wanted:
        out["crops"] = crops
    if "fft" in wanted:
        out["fft"] = block_spectra[:, spectra.KINDS.index("fft")]
    return out


def decode(
    rows: pd.DataFrame,
    variants: Sequence[str],
    parts: Sequence[str],
    seed: int,
    *,
    stats_runner: StatsRunner | None = None,
    stats_size: int = 224,
    recipe: Recipe | None = None,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    recipe = recipe or Recipe()
    wanted = set(parts)
    if "stats" in wanted and stats_runner is None:
        raise ValueError("the stats part needs a backbone runner")
    out: dict[str, list[np.ndarray]] = {name: [] for name in parts}
    records = list(rows.itertuples())

    def one(row: Any) -> dict[str, np.ndarray]:
        image = row_image(row)
        rng = np.random.default_rng(_row_seed(seed, row.artwork_id))
        shown = [variant_image(image, row.label == "ai", v, rng, recipe) for v in variants]
        got = spectral_parts(shown, wanted)
        if "stats" in wanted:
            got["squares"] = np.stack([square(view, stats_size) for view in shown])
        return got

    bar = progress_bar(len(records), "detector views", unit="image", enabled=progress, leave=False)
    with one_blas_thread(), ThreadPoolExecutor(THREADS) as pool:
        for start in range(0, len(records), CHUNK):
            done = list(pool.map(one, records[start : start + CHUNK]))
            for name in set(parts) - {"stats"}:
                out[name].append(np.stack([d[name] for d in done]))
            if "stats" in wanted:
                squares = np.stack([d["squares"] for d in done])
                flat = squares.reshape(-1, *squares.shape[2:])
                assert stats_runner is not None
                stats = stats_runner(flat).astype(np.float16)
                out["stats"].append(stats.reshape(len(done), len(variants), -1))
            bar.update(len(done))
    bar.close()
    return {name: np.concatenate(chunks) for name, chunks in out.items() if chunks}


def cache_key(
    manifest_sha: str,
    rows: pd.DataFrame,
    variants: Sequence[str],
    parts: Sequence[str],
    seed: int,
    stats_version: str | None,
) -> str:
    spec = {
        "manifest": manifest_sha,
        "rows": hashlib.sha256("\n".join(rows["artwork_id"]).encode()).hexdigest(),
        "variants": list(variants),
        "parts": sorted(parts),
        "seed": seed,
        "recipe": Recipe().to_json(),
        "features": FEATURES_VERSION,
        "stats": stats_version,
        "spectra": spectra.spectra_config(),
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:24]


def load_split(
    manifest: pd.DataFrame,
    manifest_sha: str,
    split: str,
    variants: Sequence[str],
    parts: Sequence[str],
    *,
    cache_dir: Path | None,
    max_per_class: int | None = None,
    seed: int = 0,
    stats_runner: StatsRunner | None = None,
    stats_version: str | None = None,
    progress: bool = False,
) -> Split:
    rows = select(manifest, split, max_per_class=max_per_class, seed=seed)
    if rows.empty:
        raise DatasetError(f"the detector dataset has no {split} images")
    if "crop" not in rows:
        raise DatasetError(
            "not a detector dataset (no crop column): build it with --label-via source-kind"
        )
    key = cache_key(manifest_sha, rows, variants, parts, seed, stats_version)
    path = cache_dir / f"{split}-{key}.npz" if cache_dir else None
    if path is not None and path.is_file():
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in parts}
    else:
        arrays = decode(rows, variants, parts, seed, stats_runner=stats_runner, progress=progress)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_suffix(".tmp.npz")
            np.savez(scratch, **arrays)
            scratch.replace(path)
    return Split(rows, tuple(variants), arrays)
