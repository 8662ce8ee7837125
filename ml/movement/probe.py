"""Fitting the linear probe of a frozen ProbeClassifier.

The backbone's statistics of every image come from the shared cache (ml/backbone), so they are
computed once per image whatever else reads them. Everything is decided on the training and
validation artists only, never on the test split:

1. C, the inverse L2 strength, by cross-validation over train+val folded by artist (an artist's
   images never sit on both sides of a fold);
2. the temperature, on those out-of-fold logits (each image scored by a fit that never saw its
   artist), and with it the confidence below which the model answers "uncertain";
3. the embedding for similar artworks, by precision@10 of the out-of-fold candidates with the
   query's own artist left out;
4. the final fit on train+val with the chosen C, every artist weighing the same inside its class.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from ml.calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
    uncertain_threshold,
)
from ml.embeddings.retrieval import precision_at_k
from ml.linear import LinearModel, balanced_weights, fit_logistic
from ml.movement.backbones import ProbeClassifier

# Inverse L2 strengths tried by cross-validation. On the styles dataset (Lite0, three artist
# folds of train+val) 0.005, 0.01 and 0.02 gave out-of-fold top-1 0.592, 0.590 and 0.589: the
# grid is centred on the best so that the choice is never its edge.
PROBE_C = (0.002, 0.005, 0.01)
FOLDS = 3
PCA_DIMENSIONS = 256  # the whitened-statistics embedding candidate


@dataclass
class ProbeSelection:
    """What was chosen on train+val, and the evidence."""

    c: float
    temperature: float
    uncertain: dict[str, float]  # threshold, coverage, precision on out-of-fold images
    embedding: str
    cv: list[dict[str, Any]] = field(default_factory=list)  # per C: out-of-fold figures
    ece: dict[str, float] = field(default_factory=dict)  # before / after the temperature
    retrieval: dict[str, float] = field(default_factory=dict)  # candidate -> precision@10
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "C": self.c,
            "temperature": round(self.temperature, 4),
            "uncertain": self.uncertain,
            "embedding": self.embedding,
            "cv": self.cv,
            "ece_out_of_fold": self.ece,
            "retrieval_precision_at_10": self.retrieval,
            "seconds": round(self.seconds, 1),
        }


@dataclass
class FoldFit:
    held: np.ndarray  # the fold's images, scored by a fit that never saw them
    keep: np.ndarray  # the images it was fitted on
    model: LinearModel
    mean: np.ndarray
    std: np.ndarray


def artist_folds(groups: np.ndarray, folds: int = FOLDS) -> list[np.ndarray]:
    """Fold indices, artists dealt to folds so that folds hold similar image counts (largest
    artists first), deterministic for the same artists."""
    names, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    order = np.lexsort((names, -counts))
    load = np.zeros(folds)
    fold_of = np.empty(len(names), dtype=int)
    for g in order:
        fold_of[g] = int(np.argmin(load))
        load[fold_of[g]] += counts[g]
    return [np.flatnonzero(fold_of[inverse] == f) for f in range(folds)]


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(0), x.std(0) + 1e-6


def _fit(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, classes: int, c: float, threads: int
) -> tuple[LinearModel, np.ndarray, np.ndarray]:
    mean, std = _standardiser(x)
    model = fit_logistic(
        (x - mean) / std, y, classes, c, balanced_weights(y, groups), threads=threads
    )
    return model, mean, std


def _top1(logits: np.ndarray, y: np.ndarray) -> float:
    return float((logits.argmax(1) == y).mean()) if len(y) else 0.0


def embedding_candidates(
    stats: np.ndarray, mean: np.ndarray, std: np.ndarray, weight: np.ndarray, head: slice
) -> dict[str, np.ndarray]:
    """Projections P [D, E] of the standardised statistics that could serve as the embedding:
    the head's pooled features (the classic embedding), the statistics whitened by PCA, the
    probe's decision directions (its logits without their mean), and the two last together."""
    z = (stats - mean) / std
    width = z.shape[1]
    pooled = np.zeros((width, head.stop - head.start), np.float32)
    pooled[np.arange(head.start, head.stop), np.arange(head.stop - head.start)] = 1.0
    from sklearn.utils.extmath import randomized_svd

    # Only the leading components are kept: a randomized SVD finds them in seconds.
    k = min(PCA_DIMENSIONS, len(z) - 1, width)
    _, singular, vt = randomized_svd(z - z.mean(0), k, random_state=0)
    whiten = np.zeros((width, PCA_DIMENSIONS), np.float32)  # fewer images: zero columns
    whiten[:, :k] = vt[:k].T / np.maximum(singular[:k] / np.sqrt(len(z)), 1e-6)
    decision = (weight - weight.mean(1, keepdims=True)).astype(np.float32)
    # Both parts scaled to unit mean norm on these images, so neither drowns the other.
    d_norm = np.linalg.norm(z @ decision, axis=1).mean()
    w_norm = np.linalg.norm(z @ whiten, axis=1).mean()
    both = np.concatenate([decision / max(d_norm, 1e-6), whiten / max(w_norm, 1e-6)], 1)
    return {"head": pooled, "whitened": whiten, "probe": decision, "probe+whitened": both}


def select_probe(
    stats: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    is_val: np.ndarray,
    classes: int,
    head: slice,
    threads: int = 2,
    log: Callable[[str], None] = print,
) -> ProbeSelection:
    """Choose C, the temperature, the uncertain threshold and the embedding from the train+val
    images STATS (IS_VAL marks the validation split's; its images are the retrieval queries)."""
    started = time.perf_counter()
    folds = artist_folds(groups)
    best: tuple[float, float, np.ndarray, list[FoldFit]] | None = None
    cv = []
    for c in PROBE_C:
        oof = np.zeros((len(labels), classes), np.float32)
        fold_started = time.perf_counter()
        fits = []
        for held in folds:
            keep = np.setdiff1d(np.arange(len(labels)), held)
            fit = FoldFit(
                held, keep, *_fit(stats[keep], labels[keep], groups[keep], classes, c, threads)
            )
            oof[held] = fit.model.logits((stats[held] - fit.mean) / fit.std)
            fits.append(fit)
        top1 = _top1(oof, labels)
        cv.append({"C": c, "top1": top1, "seconds": round(time.perf_counter() - fold_started, 1)})
        log(f"probe C={c}: out-of-fold top-1 {top1:.3f} over {len(folds)} artist folds")
        if best is None or top1 > best[1] + 1e-9:
            best = (c, top1, oof, fits)
    assert best is not None
    c, _, oof, fits = best
    temperature = fit_temperature(oof, labels)
    calibrated = softmax(oof / temperature)
    ece = {
        "before": expected_calibration_error(softmax(oof), labels),
        "after": expected_calibration_error(calibrated, labels),
    }
    uncertain = uncertain_threshold(calibrated, labels)
    log(
        f"temperature {temperature:.2f}: out-of-fold ECE {ece['before']:.3f} -> "
        f"{ece['after']:.3f}; uncertain below {uncertain['threshold']:.2f} "
        f"({uncertain['coverage']:.0%} answered at precision {uncertain['precision']:.2f})"
    )
    retrieval = _choose_embedding(stats, labels, groups, is_val, fits, head)
    chosen = max(retrieval, key=lambda name: retrieval[name])
    log(
        "embedding for similar artworks: "
        + ", ".join(f"{k} {v:.3f}" for k, v in retrieval.items())
        + f" (precision@10, own artist left out): {chosen}"
    )
    return ProbeSelection(
        c, temperature, uncertain, chosen, cv, ece, retrieval, time.perf_counter() - started
    )


def _choose_embedding(
    stats: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    is_val: np.ndarray,
    fits: list[FoldFit],
    head: slice,
) -> dict[str, float]:
    """Precision@10 of each candidate, validation images as queries over train+val, every
    image embedded by the fold fit that never saw its artist."""
    embedded: dict[str, np.ndarray] = {}
    for fit in fits:
        candidates = embedding_candidates(
            stats[fit.keep], fit.mean, fit.std, fit.model.weight, head
        )
        for name, projection in candidates.items():
            vectors = embedded.setdefault(
                name, np.zeros((len(labels), projection.shape[1]), np.float32)
            )
            vectors[fit.held] = ((stats[fit.held] - fit.mean) / fit.std) @ projection
    queries = np.flatnonzero(is_val)
    return {
        name: precision_at_k(vectors, labels, queries, 10, groups)["precision_at_10"]
        for name, vectors in embedded.items()
    }


def fit_probe(
    model: ProbeClassifier,
    stats: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    is_val: np.ndarray,
    threads: int = 2,
    log: Callable[[str], None] = print,
) -> ProbeSelection:
    """Choose on train+val (select_probe), then fit MODEL's head in place on all of it."""
    classes = model.head.out_features
    head = embedding_slice(model)
    selection = select_probe(stats, labels, groups, is_val, classes, head, threads, log)
    started = time.perf_counter()
    final, mean, std = _fit(stats, labels, groups, classes, selection.c, threads)
    projection = embedding_candidates(stats, mean, std, final.weight, head)[selection.embedding]
    _set_head(model, final, mean, std, selection.temperature, projection)
    log(f"final fit on {len(labels):,} train+val images: {time.perf_counter() - started:.0f} s")
    return selection


def embedding_slice(model: ProbeClassifier) -> slice:
    """Where the head map's channel means (the pooled features) sit in the statistics."""
    from ml.backbone.stats import embedding_slice as in_stats

    return in_stats(model.spec, model.features)


def _set_head(
    model: ProbeClassifier,
    fitted: LinearModel,
    mean: np.ndarray,
    std: np.ndarray,
    temperature: float,
    projection: np.ndarray,
) -> None:
    with torch.no_grad():
        model.head.weight.copy_(torch.from_numpy(fitted.weight.T.astype(np.float32)))
        model.head.bias.copy_(torch.from_numpy(fitted.bias.astype(np.float32)))
        model.stats_mean.copy_(torch.from_numpy(mean.astype(np.float32)))
        model.stats_std.copy_(torch.from_numpy(std.astype(np.float32)))
        model.temperature.fill_(float(temperature))
    model.set_projection(torch.from_numpy(np.asarray(projection, np.float32)))


def probe_outputs(model: ProbeClassifier, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(calibrated logits, embeddings) of MODEL for backbone STATS, without the backbone."""
    with torch.inference_mode():
        x = torch.from_numpy(np.asarray(stats, np.float32))
        return model.logits_of(x).numpy(), model.embedding_of(x).numpy()
