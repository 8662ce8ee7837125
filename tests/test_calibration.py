"""Calibration and uncertainty on known data: temperature scaling recovers a known temperature,
the expected calibration error tells calibrated from over-confident probabilities, the uncertain
threshold reaches its precision, and artist-resampled intervals hold the point figure."""

from __future__ import annotations

import numpy as np
import pytest

from ml.calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
    uncertain_threshold,
)
from ml.intervals import artist_bootstrap


def _calibrated(n: int = 4000, classes: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Logits whose softmax is the true class distribution each label is drawn from."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 2.0, size=(n, classes))
    p = softmax(logits)
    labels = np.array([rng.choice(classes, p=row) for row in p])
    return logits, labels


def test_temperature_scaling_recovers_an_overconfident_models_temperature() -> None:
    logits, labels = _calibrated()
    assert fit_temperature(logits * 3.0, labels) == pytest.approx(3.0, rel=0.1)
    assert fit_temperature(logits, labels) == pytest.approx(1.0, rel=0.1)


def test_ece_is_small_when_calibrated_and_large_when_not() -> None:
    logits, labels = _calibrated()
    calibrated = expected_calibration_error(softmax(logits), labels)
    overconfident = expected_calibration_error(softmax(logits * 3.0), labels)
    assert calibrated < 0.03 < 0.1 < overconfident
    rescaled = softmax(logits * 3.0 / fit_temperature(logits * 3.0, labels))
    assert expected_calibration_error(rescaled, labels) < 0.03


def test_uncertain_threshold_reaches_its_precision_and_no_lower_one_would() -> None:
    logits, labels = _calibrated(seed=1)
    p = softmax(logits)
    chosen = uncertain_threshold(p, labels, precision=0.8)
    answered = p.max(1) >= chosen["threshold"]
    right = p.argmax(1) == labels
    assert right[answered].mean() >= 0.8
    assert chosen["precision"] == pytest.approx(right[answered].mean())
    assert chosen["coverage"] == pytest.approx(answered.mean())
    assert 0.0 < chosen["coverage"] < 1.0  # the data holds coin tosses to refuse
    # the next lower confidence would have let precision fall under 0.8
    lower = np.sort(np.unique(p.max(1)[~answered]))[-1]
    looser = p.max(1) >= lower
    assert right[looser].mean() < 0.8 or looser.sum() == answered.sum()


def test_uncertain_threshold_when_nothing_is_precise_enough() -> None:
    p = np.full((10, 2), 0.5)
    labels = np.array([0, 1] * 5)
    assert uncertain_threshold(p, labels, precision=0.8) == {
        "threshold": 1.0,
        "coverage": 0.0,
        "precision": pytest.approx(float("nan"), nan_ok=True),
    }


def test_artist_bootstrap_is_wider_than_pretending_images_are_independent() -> None:
    """Twelve artists of 50 images, each artist mostly right or mostly wrong: resampling
    artists gives the honest, wider interval; resampling images understates it."""
    rng = np.random.default_rng(0)
    artists = np.repeat(np.arange(12), 50)
    per_artist = rng.choice([0.95, 0.4], size=12)
    right = rng.random(len(artists)) < per_artist[artists]

    def accuracy(index: np.ndarray) -> float:
        return float(right[index].mean())

    by_artist = artist_bootstrap(artists, {"acc": accuracy}, rounds=400)["acc"]
    by_image = artist_bootstrap(np.arange(len(artists)), {"acc": accuracy}, rounds=400)["acc"]
    assert by_artist["low"] <= by_artist["value"] <= by_artist["high"]
    assert by_artist["value"] == pytest.approx(right.mean())
    assert (by_artist["high"] - by_artist["low"]) > 2 * (by_image["high"] - by_image["low"])
