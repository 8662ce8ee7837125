"""Retrieval quality of embeddings: for each query image, the share of its 10 nearest
neighbours (cosine, itself left out) that share its movement, against what random neighbours
would give."""

from __future__ import annotations

import numpy as np


def precision_at_k(
    embeddings: np.ndarray,
    labels: np.ndarray,
    queries: np.ndarray,
    k: int = 10,
    exclude_groups: np.ndarray | None = None,
) -> dict[str, float]:
    """Mean precision@K over QUERIES (indices), searching all rows; with EXCLUDE_GROUPS (e.g.
    artist ids) a neighbour of the query's own group is not counted as a candidate."""
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    hits, chance = [], []
    for start in range(0, len(queries), 256):
        chunk = queries[start : start + 256]
        similarity = unit[chunk] @ unit.T
        similarity[np.arange(len(chunk)), chunk] = -np.inf
        if exclude_groups is not None:
            same = exclude_groups[chunk][:, None] == exclude_groups[None, :]
            similarity[same] = -np.inf
        nearest = np.argpartition(-similarity, k, axis=1)[:, :k]
        hits.extend((labels[nearest] == labels[chunk][:, None]).mean(axis=1))
        for row, query in enumerate(chunk):
            pool = np.isfinite(similarity[row])
            chance.append(float((labels[pool] == labels[query]).mean()))
    return {
        f"precision_at_{k}": float(np.mean(hits)),
        "random_baseline": float(np.mean(chance)),
        "queries": len(queries),
    }
