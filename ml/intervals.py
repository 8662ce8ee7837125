"""95% intervals for figures measured on a test split, by resampling its artists: images of one
artist are not independent evidence (one Impressionism artist is most of that class's test
images), so the bootstrap draws whole artists with replacement and recomputes the figure."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

Metric = Callable[[np.ndarray], float]  # the indices of the images drawn -> the figure


def artist_bootstrap(
    groups: np.ndarray,
    metrics: Mapping[str, Metric],
    *,
    rounds: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, dict[str, float]]:
    """{name: {value, low, high}} for each metric: VALUE on every image, LOW/HIGH the
    percentile interval over ROUNDS resamples of the artists in GROUPS."""
    groups = np.asarray(groups)
    everyone = np.arange(len(groups))
    names, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(names))]
    rng = np.random.default_rng(seed)
    drawn: dict[str, list[float]] = {name: [] for name in metrics}
    for _ in range(rounds if len(names) > 1 else 0):
        picked = rng.integers(0, len(names), len(names))
        index = np.concatenate([members[g] for g in picked])
        for name, metric in metrics.items():
            value = metric(index)
            if np.isfinite(value):
                drawn[name].append(value)
    tail = (1.0 - level) / 2.0 * 100.0
    out = {}
    for name, metric in metrics.items():
        value = float(metric(everyone))
        values = drawn[name]
        low, high = (
            (float(np.percentile(values, tail)), float(np.percentile(values, 100.0 - tail)))
            if values
            else (value, value)
        )
        out[name] = {"value": value, "low": low, "high": high}
    return out


def format_interval(figure: Mapping[str, float], digits: int = 3) -> str:
    """'0.612 [0.571, 0.650]'"""
    return f"{figure['value']:.{digits}f} [{figure['low']:.{digits}f}, {figure['high']:.{digits}f}]"
