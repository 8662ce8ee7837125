"""Fitting the linear probe of a frozen TappedClassifier: the tapped statistics of every
training image are computed once, standardised, and a multinomial logistic regression is fitted
on them (its C chosen on the validation split); its weights become the model's linear head, so
the ONNX export, Grad-CAM and embeddings treat the result like any other classifier."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from ml.movement.backbones import Backbone, TappedClassifier
from ml.movement.model_dir import export_module
from ml.movement.train_loop import TrainConfig

# Inverse L2 strengths tried, the best on val kept. On the styles dataset C = 0.01, 0.02 and
# 0.05 scored val top-1 0.618, 0.619 and 0.613: one fit (1-1.5 min here) is enough.
PROBE_C = (0.02,)
LOG_EVERY = 1024  # images between progress lines
BATCH = 32


def tap_statistics(
    model: TappedClassifier,
    pixels: np.ndarray,
    backbone: Backbone,
    log: Callable[[str], None],
    threads: int = 2,
) -> np.ndarray:
    """The tapped statistics [N, width] of uint8 PIXELS [N, S, S, 3], computed by ONNX Runtime
    (3-5x faster than eager PyTorch on 2 cores, and in float32, as inference will be)."""
    import onnxruntime as ort

    class Taps(torch.nn.Module):
        def __init__(self, inner: TappedClassifier) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.inner.taps(x)[1]

    size = pixels.shape[1] if len(pixels) else 224
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "taps.onnx"
        export_module(Taps(model), path, size, ["stats"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    mean = np.asarray(backbone.mean, np.float32).reshape(1, 3, 1, 1) * 255.0
    scale = 1.0 / (np.asarray(backbone.std, np.float32).reshape(1, 3, 1, 1) * 255.0)
    out, started = [], time.perf_counter()
    for start in range(0, len(pixels), BATCH):
        x = pixels[start : start + BATCH].transpose(0, 3, 1, 2).astype(np.float32)
        out.append(session.run(None, {"pixels": (x - mean) * scale})[0])
        done = start + len(out[-1])
        if done % LOG_EVERY < BATCH or done == len(pixels):
            rate = done / max(time.perf_counter() - started, 1e-9)
            log(f"tapped statistics: {done:,}/{len(pixels):,} images ({rate:.0f} images/s)")
    width = model.tap_mean.shape[0]
    return np.concatenate(out) if out else np.zeros((0, width), np.float32)


def fit_probe(
    model: TappedClassifier,
    backbone: Backbone,
    train_pixels: np.ndarray,
    train_labels: np.ndarray,
    val_pixels: np.ndarray,
    val_labels: np.ndarray,
    config: TrainConfig,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Fit MODEL's head in place; returns one record per C tried (val top-1, seconds)."""
    from sklearn.linear_model import LogisticRegression

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    x_train = tap_statistics(model, train_pixels, backbone, log, config.threads)
    x_val = tap_statistics(model, val_pixels, backbone, log, config.threads)
    mean = x_train.mean(0)
    std = x_train.std(0) + 1e-6
    x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    history: list[dict] = []
    best: tuple[float, LogisticRegression] | None = None
    for c in PROBE_C:
        started = time.perf_counter()
        fitted = LogisticRegression(C=c, max_iter=2000, random_state=config.seed)
        fitted.fit(x_train, train_labels)
        top1 = float((fitted.predict(x_val) == val_labels).mean()) if len(val_labels) else 0.0
        history.append({"C": c, "val_top1": top1, "seconds": time.perf_counter() - started})
        log(f"probe C={c}: val top-1 {top1:.3f} ({history[-1]['seconds']:.0f} s)")
        if best is None or top1 > best[0]:
            best = (top1, fitted)
    assert best is not None
    _set_head(model, best[1], mean, std)
    return history


def _set_head(model: TappedClassifier, fitted: object, mean: np.ndarray, std: np.ndarray) -> None:
    coef = np.asarray(fitted.coef_, dtype=np.float32)  # type: ignore[attr-defined]
    intercept = np.asarray(fitted.intercept_, dtype=np.float32)  # type: ignore[attr-defined]
    if coef.shape[0] == 1:  # two classes: scikit-learn keeps one row, for class 1
        coef, intercept = (
            np.concatenate([-coef, coef]) / 2,
            np.concatenate([-intercept, intercept]) / 2,
        )
    with torch.no_grad():
        model.head.weight.copy_(torch.from_numpy(coef))
        model.head.bias.copy_(torch.from_numpy(intercept))
        model.tap_mean.copy_(torch.from_numpy(mean.astype(np.float32)))
        model.tap_std.copy_(torch.from_numpy(std.astype(np.float32)))


@torch.inference_mode()
def probe_logits(
    model: TappedClassifier, pixels: np.ndarray, backbone: Backbone, threads: int = 2
) -> np.ndarray:
    """MODEL's logits for PIXELS, the statistics computed by ONNX Runtime (as in fitting)."""
    stats = tap_statistics(model, pixels, backbone, lambda _: None, threads)
    return model.logits_of(torch.from_numpy(stats)).numpy()
