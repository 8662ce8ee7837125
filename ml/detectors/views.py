"""What the spectral detectors see of an image, taken from its canonical square (containers.py)
and nothing else, so that training views and test inputs pass through one path:

- `crop`: the canonical square at CROP x CROP pixels (svm-dct's whole-image DCT bands and
  colour statistics; gfnet's image branch);
- `spectra`: the mean log-magnitude DCT and FFT of the luma and of its Laplacian residual over
  the canonical square's 16 blocks of 64 px (spectra.py), where a generator's pixel-level
  traces show.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from ml.detectors import spectra
from ml.detectors.containers import canonical

CROP = 128
THREADS = 2  # resizing, DCT and FFT release the GIL


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
    IMAGES, each through `canonical` first; spectra of kinds not asked for stay zero."""
    shape = (len(images), len(spectra.KINDS), spectra.CHANNELS, spectra.BLOCK, spectra.BLOCK)
    crops = np.empty((len(images), CROP, CROP, 3), dtype=np.uint8)
    block_spectra = np.zeros(shape, dtype=np.float16)
    slots = [spectra.KINDS.index(kind) for kind in kinds]

    def one(i: int) -> None:
        square = canonical(images[i])
        crops[i] = crop_of(square)
        block_spectra[i, slots] = spectra_of(square, kinds)

    if len(images) < 8:
        for i in range(len(images)):
            one(i)
    else:
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(one, range(len(images))))
    return crops, block_spectra
