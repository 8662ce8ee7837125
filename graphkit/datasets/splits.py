"""Train/val/test splits grouped by artist (and duplicate image), stratified by class.

A greedy assignment, largest group first: each group goes to the split whose per-class
targets it helps fill most. Groups of equal size are visited in a seeded random order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from graphkit.errors import DatasetError

SPLIT_NAMES = ("train", "val", "test")


def parse_fractions(text: str) -> tuple[float, float, float]:
    """'0.7,0.15,0.15' → (0.7, 0.15, 0.15); three non-negative numbers that sum to 1."""
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError as exc:
        raise DatasetError(f"--split {text!r}: expected three numbers like 0.7,0.15,0.15") from exc
    if len(values) != len(SPLIT_NAMES):
        raise DatasetError(f"--split {text!r}: expected three fractions (train, val, test)")
    if any(not np.isfinite(v) or v < 0 for v in values) or abs(sum(values) - 1) > 1e-6:
        raise DatasetError(f"--split {text!r}: fractions must be >= 0 and sum to 1")
    if values[0] == 0:
        raise DatasetError(f"--split {text!r}: the train fraction must be above 0")
    return values  # type: ignore[return-value]


def assign_splits(
    groups: Sequence[int] | np.ndarray,
    labels: Sequence[str] | pd.Series,
    fractions: Sequence[float],
    seed: int,
) -> np.ndarray:
    """The split name for each row; rows of one group always share a split."""
    group_codes, group_index = np.unique(np.asarray(groups), return_inverse=True)
    class_codes, class_index = np.unique(np.asarray(labels, dtype=object), return_inverse=True)
    counts = np.zeros((len(group_codes), len(class_codes)), dtype=np.int64)
    np.add.at(counts, (group_index, class_index), 1)
    totals = counts.sum(axis=0)
    target = np.outer(np.asarray(fractions, dtype=float), totals)
    current = np.zeros_like(target)

    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(len(group_codes))
    sizes = counts.sum(axis=1)
    order = shuffled[np.argsort(-sizes[shuffled], kind="stable")]

    chosen = np.empty(len(group_codes), dtype=np.int64)
    weights = 1.0 / np.maximum(totals, 1)  # each class counts equally, however large
    for g in order:
        # How much of each split's unmet share of this group's classes the group would fill.
        need = (target - current) * weights
        score = need @ counts[g]
        score[np.asarray(fractions) == 0] = -np.inf
        split = int(np.argmax(score))
        chosen[g] = split
        current[split] += counts[g]
    return np.array(SPLIT_NAMES, dtype=object)[chosen[group_index]]
