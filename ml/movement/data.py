"""A movement dataset as decoded 224 px tensors, cached once per manifest so that epochs and
benchmarks never decode a JPEG twice.

The cache is one `.npz` per (manifest sha256, size) in DATA_DIR/ml-cache/movement: uint8 pixels
[N, S, S, 3], label index, split name, artist id and file sha256 per image. Images that
cannot be opened are left out and listed in `skipped`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from graphkit.datasets.manifest import read_manifest, read_summary
from graphkit.errors import DatasetError
from ml.images import open_image

IMAGE_SIZE = 224
CACHE_FORMAT = 2  # bump when the cached arrays change (2: image keys)


def square(image: Image.Image, size: int = IMAGE_SIZE) -> np.ndarray:
    """Shorter side to SIZE, then the centre square: the one preprocessing used everywhere."""
    width, height = image.size
    scale = size / min(width, height)
    resized = image.resize(
        (max(size, round(width * scale)), max(size, round(height * scale))),
        Image.Resampling.BILINEAR,
        reducing_gap=3.0,
    )
    left = (resized.width - size) // 2
    top = (resized.height - size) // 2
    return np.asarray(resized.crop((left, top, left + size, top + size)), dtype=np.uint8)


@dataclass
class MovementData:
    pixels: np.ndarray  # uint8 [N, S, S, 3]
    labels: np.ndarray  # int64 [N]
    splits: np.ndarray  # str [N]: train / val / test
    artists: np.ndarray  # str [N]
    paths: np.ndarray  # str [N]
    keys: np.ndarray  # str [N]: the image's file sha256, its key in the backbone cache
    classes: list[str]
    dataset_id: str
    manifest_sha256: str
    skipped: list[tuple[str, str]]

    def split(self, name: str, limit: int | None = None) -> np.ndarray:
        """Indices of split NAME (the first LIMIT per class when given, for quick runs)."""
        index = np.flatnonzero(self.splits == name)
        if limit is None:
            return index
        picked = [index[self.labels[index] == c][:limit] for c in range(len(self.classes))]
        return np.sort(np.concatenate(picked))


def load_movement_data(
    dataset_dir: Path, cache_dir: Path, size: int = IMAGE_SIZE, progress: bool = False
) -> MovementData:
    """Read DATASET_DIR's manifest; decode its images once into CACHE_DIR, reuse them later."""
    dataset_dir = Path(dataset_dir)
    summary = read_summary(dataset_dir)
    manifest = read_manifest(dataset_dir)
    classes = (dataset_dir / "classes.txt").read_text(encoding="utf-8").split("\n")[:-1]
    if manifest.empty or not classes:
        raise DatasetError(f"{dataset_dir}: the dataset has no images")
    digest = summary["manifest_sha256"]
    cache = Path(cache_dir) / f"{digest[:16]}-{size}-{CACHE_FORMAT}.npz"
    if not cache.is_file():
        _write_cache(cache, manifest, classes, size, progress)
    with np.load(cache, allow_pickle=False) as stored:
        skipped = list(zip(stored["skipped_paths"], stored["skipped_reasons"], strict=True))
        return MovementData(
            pixels=stored["pixels"],
            labels=stored["labels"],
            splits=stored["splits"],
            artists=stored["artists"],
            paths=stored["paths"],
            keys=stored["keys"],
            classes=classes,
            dataset_id=summary["id"],
            manifest_sha256=digest,
            skipped=[(str(p), str(r)) for p, r in skipped],
        )


def _write_cache(
    cache: Path, manifest: object, classes: list[str], size: int, progress: bool
) -> None:
    from graphkit.errors import ImageError
    from graphkit.progress import progress_bar

    index = {name: i for i, name in enumerate(classes)}
    rows = list(manifest.itertuples())  # type: ignore[attr-defined]
    pixels = np.empty((len(rows), size, size, 3), dtype=np.uint8)
    keep: list[int] = []
    skipped: list[tuple[str, str]] = []
    bar = progress_bar(len(rows), "decoding images", unit="image", enabled=progress)
    for i, row in enumerate(rows):
        try:
            pixels[i] = square(open_image(row.image_path), size)
            keep.append(i)
        except ImageError as exc:
            skipped.append((row.image_path, str(exc)))
        bar.update(1)
    bar.close()
    cache.parent.mkdir(parents=True, exist_ok=True)
    scratch = cache.with_suffix(".tmp.npz")
    np.savez(
        scratch,
        pixels=pixels[keep],
        labels=np.array([index[rows[i].label] for i in keep], dtype=np.int64),
        splits=np.array([rows[i].split for i in keep]),
        artists=np.array([rows[i].artist_id or "" for i in keep]),
        paths=np.array([rows[i].image_path for i in keep]),
        keys=np.array([rows[i].image_sha256 for i in keep]),
        skipped_paths=np.array([p for p, _ in skipped], dtype=str),
        skipped_reasons=np.array([r for _, r in skipped], dtype=str),
    )
    scratch.replace(cache)
