"""The learned-feature detector (`backbone`): the frozen ImageNet backbone's multi-stage
statistics (the same vector the movement probe reads, ml/backbone) into a logistic regression,
Platt-calibrated on the validation split. Frozen pretrained features are what the detectors
that generalise across generators build on (a linear probe on CLIP features, Ojha et al.,
CVPR 2023); spectra alone key on one generator's pixel traces."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from ml.detectors.battery import TRANSFORMS
from ml.detectors.data import Split
from ml.detectors.metrics import balanced_accuracy
from ml.detectors.weights import balanced_weights
from ml.linear import fit_logistic
from ml.npz import load_fields, save_fields

PROBE_FILE = "probe.npz"
BACKBONE_ONNX = "backbone.onnx"


@dataclass(frozen=True)
class ProbeTraining:
    # wide enough that the choice is inside it (0.1 was its top when the grid ended there)
    c_grid: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StatsProbe:
    mean: np.ndarray  # [D]
    std: np.ndarray  # [D]
    weight: np.ndarray  # [D] the logit of P(ai), before calibration
    bias: float
    a: float = 1.0  # Platt: P(ai) = sigmoid(a * logit + b)
    b: float = 0.0

    def logit(self, stats: np.ndarray) -> np.ndarray:
        z = (np.asarray(stats, np.float32) - self.mean) / self.std
        return z @ self.weight + self.bias

    def p_ai(self, stats: np.ndarray) -> np.ndarray:
        return (1.0 / (1.0 + np.exp(-(self.a * self.logit(stats) + self.b)))).astype(np.float32)

    def save(self, path: Path) -> None:
        save_fields(self, path)

    @classmethod
    def load(cls, path: Path) -> StatsProbe:
        return load_fields(cls, path)


def platt(logits: np.ndarray, y: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """(a, b) minimising the weighted log-loss of sigmoid(a * LOGITS + b) against Y."""
    logits, y = np.asarray(logits, np.float64), np.asarray(y, np.float64)

    def loss(ab: np.ndarray) -> float:
        z = ab[0] * logits + ab[1]
        return float((weights * (np.logaddexp(0.0, z) - y * z)).sum() / weights.sum())

    result = minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def fit_probe(
    train: Split, val: Split, training: ProbeTraining, threads: int = 2
) -> tuple[StatsProbe, dict[str, Any]]:
    """Fit on every training view; C chosen by the validation battery's mean balanced
    accuracy; Platt scaling fitted on the validation battery."""
    x, y, sources, _ = train.stacked("stats")
    x = x.astype(np.float32)
    mean, std = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / std
    weights = balanced_weights(y, sources)
    val_x, val_y, val_sources, _ = val.stacked("stats")
    val_weights = balanced_weights(val_y, val_sources)
    tried, best = [], None
    for c in training.c_grid:
        model = fit_logistic(z, y, 2, c, weights, threads=threads)
        probe = StatsProbe(
            mean, std, model.weight[:, 1] - model.weight[:, 0], float(model.bias[1] - model.bias[0])
        )
        per = {
            t: balanced_accuracy(val.y, probe.p_ai(val.part("stats", t).astype(np.float32)))
            for t in TRANSFORMS
            if t in val.variants
        }
        score = float(np.mean(list(per.values())))
        tried.append(
            {
                "C": c,
                "val_battery_mean": round(score, 4),
                **{k: round(v, 4) for k, v in per.items()},
            }
        )
        if best is None or score > best[0]:
            best = (score, c, probe)
    assert best is not None
    _, c, probe = best
    probe.a, probe.b = platt(probe.logit(val_x.astype(np.float32)), val_y, val_weights)
    return probe, {"C": c, "tried": tried, "platt": [probe.a, probe.b], "train_rows": len(y)}
