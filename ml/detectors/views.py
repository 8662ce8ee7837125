"""What the spectral detectors see of an image, taken from its canonical square (containers.py)
and nothing else, so that training views and test inputs pass through one path:

- `crop`: the canonical square at CROP x CROP pixels (svm-dct's whole-image DCT bands and
  colour statistics; gfnet's image branch);
- `spectra`: the mean log-magnitude DCT and FFT of the luma and of its Laplacian residual over
  the canonical square's 16 blocks of 64 px (spectra.py), where a generator's pixel-level
  traces show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image
from threadpoolctl import threadpool_limits

from ml.detectors import spectra
from ml.detectors.containers import canonical

CROP = 128
THREADS = 2  # resizing, DCT, FFT and numpy's array loops release the GIL
# Images a chunk: a few, so a chunk's arrays stay in a core's 1 MiB L2 cache (the spectra of
# 64 images in one go took 1.5x as long an image as 8 at a time; measured on this machine).
CHUNK = 8

T = TypeVar("T")
R = TypeVar("R")


def crop_of(square: np.ndarray) -> np.ndarray:
    """SQUARE (CANONICAL px, RGB) averaged over 2 x 2 pixels: CROP x CROP."""
    return cv2.resize(square, (CROP, CROP), interpolation=cv2.INTER_AREA)


def spectra_of(squares: np.ndarray, kinds: tuple[str, ...] = spectra.KINDS) -> np.ndarray:
    """N x len(KINDS) x CHANNELS x BLOCK x BLOCK float16 over every block of SQUARES
    (N x CANONICAL x CANONICAL x 3 uint8), the whole batch in each call."""
    n, side = len(squares), squares.shape[1]
    gray = cv2.cvtColor(squares.reshape(n * side, side, 3), cv2.COLOR_RGB2GRAY)  # PIL's "L"
    cells = side // spectra.BLOCK
    tiles = (
        (gray.astype(np.float32) / np.float32(255.0))
        .reshape(n, cells, spectra.BLOCK, cells, spectra.BLOCK)
        .transpose(0, 1, 3, 2, 4)
        .reshape(n, cells * cells, spectra.BLOCK, spectra.BLOCK)
    )
    return np.stack([spectra.block_spectra(tiles, kind) for kind in kinds], axis=1).astype(
        np.float16
    )


def views(
    images: Sequence[Image.Image], kinds: tuple[str, ...] = spectra.KINDS
) -> tuple[np.ndarray, np.ndarray]:
    """(crops [N, CROP, CROP, 3] uint8, spectra [N, kinds, CHANNELS, BLOCK, BLOCK] float16) of
    IMAGES, each through `canonical` first; spectra of kinds not asked for stay zero. Serial:
    `in_chunks` spreads a batch over the cores."""
    shape = (len(images), len(spectra.KINDS), spectra.CHANNELS, spectra.BLOCK, spectra.BLOCK)
    block_spectra = np.zeros(shape, dtype=np.float16)
    if not images:
        return np.empty((0, CROP, CROP, 3), dtype=np.uint8), block_spectra
    squares = np.stack([canonical(image) for image in images])
    crops = np.stack([crop_of(square) for square in squares])
    slots = [spectra.KINDS.index(kind) for kind in kinds]
    block_spectra[:, slots] = spectra_of(squares, kinds)
    return crops, block_spectra


def in_chunks(work: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """WORK over consecutive chunks of CHUNK ITEMS on THREADS threads, results in order. A
    chunk carries every step of its items (views and features alike), so both cores stay busy
    and images of unequal cost even out. A single chunk runs here."""
    chunks = [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]
    if len(chunks) <= 1:
        return [work(items)]
    with one_blas_thread(), ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, chunks))


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """While our threads run side by side, each matrix product and resize stays on its own
    core: OpenBLAS's own threads on top of them made a batch 1.7x slower (measured on 2 cores)."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        cv2.setNumThreads(before)
