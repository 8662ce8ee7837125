"""What the spectral detectors see of an image, taken from its canonical square (containers.py)
and nothing else, so that training views and test inputs pass through one path:

- `crop`: the canonical square at CROP x CROP pixels (svm-dct's whole-image DCT bands and
  colour statistics; gfnet's image branch);
- `spectra`: the mean log-magnitude DCT and FFT of the luma and of its Laplacian residual over
  the canonical square's 16 blocks of 64 px (spectra.py), where a generator's pixel-level
  traces show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
from PIL import Image
from threadpoolctl import threadpool_limits

from ml.detectors import spectra
from ml.detectors.containers import canonical

CROP = 128
THREADS = 2  # resizing, DCT, FFT and numpy's array loops release the GIL
MIN_CHUNK = 4
CHUNKS_PER_THREAD = 4

T = TypeVar("T")
R = TypeVar("R")


def crop_of(square: Image.Image) -> np.ndarray:
    return np.asarray(square.resize((CROP, CROP), Image.Resampling.BILINEAR, reducing_gap=None))


def spectra_of(square: Image.Image, kinds: tuple[str, ...] = spectra.KINDS) -> np.ndarray:
    """len(KINDS) x CHANNELS x BLOCK x BLOCK float16 over every block of SQUARE."""
    tiles = spectra.blocks(spectra.luma(square), every=1)
    return np.stack([spectra.block_spectra(tiles, kind) for kind in kinds]).astype(np.float16)


def views(
    images: Sequence[Image.Image], kinds: tuple[str, ...] = spectra.KINDS
) -> tuple[np.ndarray, np.ndarray]:
    """(crops [N, CROP, CROP, 3] uint8, spectra [N, kinds, CHANNELS, BLOCK, BLOCK] float16) of
    IMAGES, each through `canonical` first; spectra of kinds not asked for stay zero. Serial:
    `in_chunks` spreads a batch over the cores."""
    shape = (len(images), len(spectra.KINDS), spectra.CHANNELS, spectra.BLOCK, spectra.BLOCK)
    crops = np.empty((len(images), CROP, CROP, 3), dtype=np.uint8)
    block_spectra = np.zeros(shape, dtype=np.float16)
    slots = [spectra.KINDS.index(kind) for kind in kinds]
    for i, image in enumerate(images):
        square = canonical(image)
        crops[i] = crop_of(square)
        block_spectra[i, slots] = spectra_of(square, kinds)
    return crops, block_spectra


def in_chunks(work: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """WORK over consecutive chunks of ITEMS on THREADS threads, results in order. A chunk
    carries every step of its items (views and features alike), so both cores stay busy; a
    few chunks a thread even out images of unequal cost. A handful of items runs here."""
    if len(items) < 2 * MIN_CHUNK:
        return [work(items)]
    size = max(MIN_CHUNK, -(-len(items) // (CHUNKS_PER_THREAD * THREADS)))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    with one_blas_thread(), ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, chunks))


def one_blas_thread() -> threadpool_limits:
    """While our threads run side by side, each matrix product stays on its own core:
    OpenBLAS's own threads on top of them made a batch 1.7x slower (measured on 2 cores)."""
    return threadpool_limits(limits=1, user_api="blas")
