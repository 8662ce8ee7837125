"""A probe's head without the backbone: from the shared backbone statistics of an image to its
calibrated movement logits and its embedding, in numpy. This is how one backbone pass serves
every model built on it (`graphkit up`, `embed`, `predict`); the full network in model.onnx
gives the same numbers from pixels (tests/test_movement.py checks both agree)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.npz import load_fields, save_fields

HEAD_FILE = "head.npz"


@dataclass(frozen=True)
class ProbeHead:
    mean: np.ndarray  # [D] the statistics' standardisation
    std: np.ndarray  # [D]
    weight: np.ndarray  # [D, K]
    bias: np.ndarray  # [K]
    temperature: float
    projection: np.ndarray  # [D, E] standardised statistics -> embedding

    @classmethod
    def from_model(cls, model: object) -> ProbeHead:
        """The head of a fitted ProbeClassifier."""
        return cls(
            mean=model.stats_mean.numpy().copy(),  # type: ignore[attr-defined]
            std=model.stats_std.numpy().copy(),  # type: ignore[attr-defined]
            weight=model.head.weight.detach().numpy().T.copy(),  # type: ignore[attr-defined]
            bias=model.head.bias.detach().numpy().copy(),  # type: ignore[attr-defined]
            temperature=float(model.temperature),  # type: ignore[attr-defined]
            projection=model.projection.numpy().copy(),  # type: ignore[attr-defined]
        )

    def save(self, path: Path) -> None:
        save_fields(self, path)

    @classmethod
    def load(cls, path: Path) -> ProbeHead:
        return load_fields(cls, path)

    @property
    def width(self) -> int:
        return int(self.mean.shape[0])

    def outputs(self, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated logits [N, K], embeddings [N, E]) of statistics [N, D]."""
        z = (np.asarray(stats, np.float32) - self.mean) / self.std
        return (z @ self.weight + self.bias) / self.temperature, z @ self.projection
