"""Detector metrics, overall and per source. Label 1 = ai; a score is P(ai)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, f1_score, roc_auc_score

THRESHOLD = 0.5


def binary_metrics(y: np.ndarray, p_ai: np.ndarray) -> dict[str, Any]:
    """balanced_accuracy, f1 (of the ai class), roc_auc, confusion_matrix (rows: true ai,
    human; columns: predicted ai, human) and n."""
    y = np.asarray(y).astype(int)
    predicted = (np.asarray(p_ai) >= THRESHOLD).astype(int)
    both = len(np.unique(y)) == 2
    return {
        "n": len(y),
        "balanced_accuracy": round(float(balanced_accuracy_score(y, predicted)), 4)
        if both
        else None,
        "accuracy": round(float((predicted == y).mean()), 4) if len(y) else None,
        "f1": round(float(f1_score(y, predicted, pos_label=1, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, p_ai)), 4) if both else None,
        "confusion_matrix": confusion_matrix(y, predicted, labels=[1, 0]).tolist(),
    }


def per_source_metrics(y: np.ndarray, p_ai: np.ndarray, sources: np.ndarray) -> dict[str, Any]:
    """Overall, then each source alone (accuracy: one class each), then the generated images
    against each human source (the museum photographs being the hard case)."""
    out: dict[str, Any] = {"overall": binary_metrics(y, p_ai)}
    for source in sorted(np.unique(sources)):
        mask = sources == source
        out[str(source)] = {
            "n": int(mask.sum()),
            "accuracy": round(float(((p_ai[mask] >= THRESHOLD) == (y[mask] == 1)).mean()), 4),
        }
    ai_sources = sorted(np.unique(sources[y == 1]))
    for human in sorted(np.unique(sources[y == 0])):
        for ai in ai_sources:
            mask = (sources == ai) | (sources == human)
            out[f"{ai}_vs_{human}"] = binary_metrics(y[mask], p_ai[mask])
    return out


def balanced_accuracy(y: np.ndarray, p_ai: np.ndarray) -> float:
    """Balanced accuracy at THRESHOLD (nan when one class is absent)."""
    y = np.asarray(y).astype(int)
    if len(np.unique(y)) < 2:
        return float("nan")
    return float(balanced_accuracy_score(y, np.asarray(p_ai) >= THRESHOLD))
