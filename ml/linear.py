"""A multinomial logistic regression fitted by L-BFGS in torch: scikit-learn's objective
(C * sum of weighted cross-entropies + |W|^2 / 2, bias unpenalised) without its cost. On the
movement probe's 6,462 x 3,968 statistics scikit-learn's lbfgs took 82 s to converge; this one
reaches the same validation top-1 in about 100 iterations, a few times faster, and that is what
lets hyper-parameters be chosen by cross-validation within the training budget."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

MAX_ITER = 150


@dataclass
class LinearModel:
    weight: np.ndarray  # [D, K]
    bias: np.ndarray  # [K]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float32) @ self.weight + self.bias


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    classes: int,
    c: float,
    sample_weight: np.ndarray | None = None,
    max_iter: int = MAX_ITER,
    threads: int = 2,
) -> LinearModel:
    """X [N, D] (standardised), Y [N] class indices; deterministic for the same inputs."""
    torch.set_num_threads(threads)
    features = torch.as_tensor(np.ascontiguousarray(x), dtype=torch.float32)
    labels = torch.as_tensor(np.asarray(y), dtype=torch.int64)
    weights = (
        torch.ones(len(labels))
        if sample_weight is None
        else torch.as_tensor(np.asarray(sample_weight), dtype=torch.float32)
    )
    total = weights.sum()
    weight = torch.zeros(features.shape[1], classes, requires_grad=True)
    bias = torch.zeros(classes, requires_grad=True)
    optimiser = torch.optim.LBFGS(
        [weight, bias],
        lr=1.0,
        max_iter=max_iter,
        tolerance_grad=1e-6,
        tolerance_change=1e-9,
        history_size=20,
        line_search_fn="strong_wolfe",
    )
    penalty = 0.5 / (c * float(total))  # sklearn's objective divided by C * total weight

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        losses = torch.nn.functional.cross_entropy(
            features @ weight + bias, labels, reduction="none"
        )
        loss = (losses * weights).sum() / total + penalty * (weight * weight).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    return LinearModel(weight.detach().numpy().copy(), bias.detach().numpy().copy())


def balanced_weights(labels: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Sample weights under which, inside each class, every artist (GROUPS) weighs the same,
    and each class keeps its share of the images: a painter with 400 images of a style no
    longer outvotes forty painters with ten (val top-1 0.668 against 0.658 unweighted)."""
    labels, groups = np.asarray(labels), np.asarray(groups)
    out = np.zeros(len(labels), dtype=np.float64)
    for label in np.unique(labels):
        index = np.flatnonzero(labels == label)
        _, inverse, counts = np.unique(groups[index], return_inverse=True, return_counts=True)
        share = 1.0 / counts[inverse]
        out[index] = share / share.sum() * len(index)
    return out
