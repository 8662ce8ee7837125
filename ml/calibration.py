"""Probabilities that mean what they say: temperature scaling fitted on held-out logits (Guo et
al., 2017), the expected calibration error that measures it, and the confidence below which a
model answers "uncertain" instead of presenting a coin toss as a movement."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

ECE_BINS = 15
TARGET_PRECISION = 0.8  # what an answer above the threshold must be, on held-out images


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(z).sum(axis=1))
    return float((log_norm - z[np.arange(len(labels)), labels]).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T > 0 minimising the negative log-likelihood of softmax(LOGITS / T)."""
    if len(labels) == 0:
        return 1.0
    result = minimize_scalar(
        lambda log_t: _nll(logits, labels, float(np.exp(log_t))),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
    )
    return float(np.exp(result.x))


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The gap between confidence and accuracy, averaged over ECE_BINS equal-width bins of the
    top probability, weighted by how many images fall in each."""
    if len(labels) == 0:
        return 0.0
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    bins = np.minimum((confidence * ECE_BINS).astype(int), ECE_BINS - 1)
    error = 0.0
    for b in range(ECE_BINS):
        inside = bins == b
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)


def binary_probabilities(p_positive: np.ndarray) -> np.ndarray:
    """[N] P(class 0) -> [N, 2] rows (P, 1 - P), for the binary detectors."""
    p = np.asarray(p_positive, dtype=np.float64)
    return np.stack([p, 1.0 - p], axis=1)


def uncertain_threshold(
    probabilities: np.ndarray, labels: np.ndarray, precision: float = TARGET_PRECISION
) -> dict[str, float]:
    """The lowest top probability t such that answers with top probability >= t are right at
    least PRECISION of the time on these held-out images, with the share of images answered
    (coverage) and the precision reached. Below t the model says "uncertain"."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    answered = np.arange(1, len(order) + 1)
    running = hits / answered
    # The largest prefix (lowest threshold) whose precision still reaches the target; ties of
    # confidence are taken together so the threshold is a value the rule can apply.
    best = None
    for k in range(len(order) - 1, -1, -1):
        if running[k] >= precision and (
            k == len(order) - 1 or confidence[order[k]] > confidence[order[k + 1]]
        ):
            best = k
            break
    if best is None:
        return {"threshold": 1.0, "coverage": 0.0, "precision": float("nan")}
    return {
        "threshold": float(confidence[order[best]]),
        "coverage": float(answered[best] / len(order)),
        "precision": float(running[best]),
    }
