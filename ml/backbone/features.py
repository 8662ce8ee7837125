"""Backbone statistics of many images through the cache: what is stored is read, only the rest
is decoded and run, and it is stored batch by batch (a killed run keeps what it did)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ml.backbone.cache import FeatureCache
from ml.backbone.runner import BATCH, BackboneRunner
from ml.backbone.stats import StatsSpec
from ml.movement.data import square

CACHE_FILE = "features.sqlite"


def cache_folder(data_dir: Path) -> Path:
    return Path(data_dir) / "ml-cache" / "backbone"


@dataclass
class SharedBackbone:
    """A statistics spec with its ONNX runner and its cache, opened once per process."""

    spec: StatsSpec
    runner: BackboneRunner
    cache: FeatureCache
    computed: int = 0  # images run through the network by this process

    @classmethod
    def open(cls, spec: StatsSpec, data_dir: Path, threads: int = 2) -> SharedBackbone:
        folder = cache_folder(data_dir)
        runner = BackboneRunner(spec, folder / "onnx", threads)
        return cls(spec, runner, FeatureCache(folder / CACHE_FILE, spec.version, runner.width))

    @property
    def width(self) -> int:
        return self.runner.width

    def close(self) -> None:
        self.cache.close()

    def pixels(self, image: Image.Image) -> np.ndarray:
        """The one preprocessing: shorter side to the spec's size, centre square."""
        return square(image, self.spec.size)

    def ensure(
        self,
        keys: list[str],
        images: Callable[[list[str]], Iterator[tuple[str, Image.Image | None]]],
        log: Callable[[str], None] | None = None,
    ) -> list[str]:
        """Compute and store the statistics of the KEYS the cache lacks; IMAGES(missing keys)
        yields (key, image or None when unreadable). Returns the keys that stay missing."""
        missing = self.cache.missing(keys)
        if not missing:
            return []
        if log is not None:
            log(f"backbone {self.spec.version}: {len(missing):,} of {len(keys):,} images to run")
        failed: list[str] = []
        batch_keys: list[str] = []
        batch: list[np.ndarray] = []
        started, done = time.perf_counter(), 0

        def flush() -> None:
            nonlocal done
            self.cache.put(batch_keys, self.runner.run(np.stack(batch)))
            done += len(batch)
            self.computed += len(batch)
            if log is not None and (done % 2048 < BATCH or done == len(missing)):
                rate = done / max(time.perf_counter() - started, 1e-9)
                log(f"backbone statistics: {done:,}/{len(missing):,} images ({rate:.0f}/s)")
            batch_keys.clear()
            batch.clear()

        for key, image in images(missing):
            if image is None:
                failed.append(key)
                continue
            batch_keys.append(key)
            batch.append(self.pixels(image))
            if len(batch) == BATCH * 4:
                flush()
        if batch:
            flush()
        return failed

    def stats_of_pixels(
        self, keys: list[str], pixels: np.ndarray, log: Callable[[str], None] | None = None
    ) -> np.ndarray:
        """Statistics of already decoded squares PIXELS [N, S, S, 3] (a dataset's cache), the
        ones the cache lacks computed and stored first."""
        return self._through_cache(keys, lambda index: pixels[index], log)

    def stats_of_images(self, keys: list[str], images: list[Image.Image]) -> np.ndarray:
        """Statistics of decoded IMAGES (a scoring batch); only the ones the cache lacks are
        squared and run."""
        return self._through_cache(
            keys, lambda index: np.stack([self.pixels(images[i]) for i in index])
        )

    def _through_cache(
        self,
        keys: list[str],
        pixels_of: Callable[[list[int]], np.ndarray],
        log: Callable[[str], None] | None = None,
    ) -> np.ndarray:
        """The statistics of KEYS; for those the cache lacks, PIXELS_OF(positions) gives the
        squares to run, once per distinct image, stored before they are read back."""
        missing = set(self.cache.missing(keys))
        if missing:
            index = [i for i, key in enumerate(keys) if key in missing]
            first = {keys[i]: i for i in reversed(index)}  # one run per distinct image
            todo = sorted(first.values())
            if log is not None:
                log(f"backbone {self.spec.version}: {len(todo):,} of {len(keys):,} images to run")
            for start in range(0, len(todo), BATCH * 8):
                chunk = todo[start : start + BATCH * 8]
                self.cache.put([keys[i] for i in chunk], self.runner.run(pixels_of(chunk)))
                self.computed += len(chunk)
                if log is not None and (
                    (start // (BATCH * 8)) % 8 == 7 or start + len(chunk) == len(todo)
                ):
                    log(f"backbone statistics: {start + len(chunk):,}/{len(todo):,} images")
        return self.cache.get(keys)

    def stats(self, keys: Iterable[str]) -> np.ndarray:
        return self.cache.get(list(keys))
