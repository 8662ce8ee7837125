"""DCT features of the seed's recipe, on the shared preprocessing: the luma of the centre crop,
its 2-D DCT, log-magnitude averaged along anti-diagonal bands (u + v = k, one band per spatial
frequency), keeping the very low bands (overall tone and layout) and the high half (fine
texture, where generators leave their traces)."""

from __future__ import annotations

import numpy as np
from scipy.fft import dctn

from ml.detectors.preprocess import CROP

LOW_BANDS = 8
HIGH_FROM = CROP // 2  # bands k >= this, up to 2 * CROP - 2
KEPT_BANDS = np.r_[np.arange(LOW_BANDS), np.arange(HIGH_FROM, 2 * CROP - 1)]
N_FEATURES = len(KEPT_BANDS)


def _band_means() -> np.ndarray:
    """CROP*CROP x N_FEATURES: multiplying a flattened spectrum by it averages each kept band
    (one matrix product for a whole batch instead of a loop)."""
    band = np.add.outer(np.arange(CROP), np.arange(CROP)).ravel()
    matrix = np.zeros((CROP * CROP, N_FEATURES), dtype=np.float32)
    for column, k in enumerate(KEPT_BANDS):
        members = band == k
        matrix[members, column] = 1.0 / members.sum()
    return matrix


_BAND_MEANS = _band_means()


def luma(crops: np.ndarray) -> np.ndarray:
    """N x H x W x 3 uint8 → N x H x W float32 (ITU-R 601 luma)."""
    rgb = crops.astype(np.float32)
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def features(crops: np.ndarray) -> np.ndarray:
    """N x CROP x CROP x 3 uint8 → N x N_FEATURES float32."""
    gray = luma(np.asarray(crops)) / 255.0
    coeffs = dctn(gray, type=2, axes=(1, 2), norm="ortho", workers=1)
    logmag = np.log(np.abs(coeffs) + 1e-6).reshape(len(crops), -1)
    return logmag @ _BAND_MEANS
