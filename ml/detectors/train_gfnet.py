"""The GFNet training loop: AdamW, one-cycle schedule, weighted BCE, one random training view
of each image per epoch (views are already random crops, sizes and containers), with a random
horizontal flip; every epoch's time is recorded, training stops at a time budget, and the epoch
with the best validation battery (its mean balanced accuracy) is kept."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from sklearn.metrics import balanced_accuracy_score

from graphkit.progress import progress_bar
from ml.detectors.data import Split
from ml.detectors.gfnet import GFNet, GFNetConfig, inputs
from ml.detectors.weights import balanced_weights


@dataclass(frozen=True)
class GFNetTraining:
    epochs: int = 8
    min_steps: int = 120  # small datasets get more epochs, so that they get this many steps
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.05
    threads: int = 2
    max_minutes: float = 8.0  # the loop stops after the epoch that passes this

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@torch.inference_mode()
def predict_torch(
    model: GFNet, crops: np.ndarray, spectra: np.ndarray, batch_size: int = 256
) -> np.ndarray:
    """P(ai) for N x CROP x CROP x 3 uint8 centre crops and their images' block spectra."""
    model.eval()
    out = []
    for start in range(0, len(crops), batch_size):
        end = start + batch_size
        pixels, spectral = inputs(np.asarray(crops[start:end]), np.asarray(spectra[start:end]))
        out.append(torch.sigmoid(model(torch.from_numpy(pixels), torch.from_numpy(spectral))))
    return torch.cat(out).numpy() if out else np.zeros(0, dtype=np.float32)


def fit_gfnet(
    train: Split,
    val: Split,
    config: GFNetConfig,
    training: GFNetTraining,
    seed: int,
    *,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> tuple[GFNet, list[dict[str, float]]]:
    torch.manual_seed(seed)
    torch.set_num_threads(training.threads)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    model = GFNet(config)
    crops, fft = train.part("crops"), train.part("fft")
    model.set_spectrum_scale(fft.reshape(-1, *fft.shape[2:]))
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=training.lr, weight_decay=training.weight_decay
    )
    per_epoch = -(-len(train.y) // training.batch_size)
    epochs = max(training.epochs, -(-training.min_steps // per_epoch))
    steps = epochs * per_epoch
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=training.lr, total_steps=steps, pct_start=0.15
    )
    y = torch.from_numpy(train.y.astype(np.float32))
    weights = torch.from_numpy(balanced_weights(train.y, train.sources).astype(np.float32))
    best_score, best_state, history = -1.0, None, []
    bar = progress_bar(steps, "gfnet", unit="step", enabled=progress, leave=False)
    for epoch in range(epochs):
        model.train()
        epoch_started = time.perf_counter()
        order = rng.permutation(len(y))
        variant = rng.integers(0, crops.shape[1], size=len(y))
        total, seen = 0.0, 0
        for start in range(0, len(order), training.batch_size):
            idx = np.sort(order[start : start + training.batch_size])
            batch = np.asarray(crops[idx, variant[idx]])
            flip = rng.random(len(idx)) < 0.5
            batch[flip] = batch[flip, :, ::-1]
            pixels, spectral = inputs(batch, np.asarray(fft[idx, variant[idx]]))
            logits = model(torch.from_numpy(pixels), torch.from_numpy(spectral))
            loss_each = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y[idx], reduction="none"
            )
            loss = (loss_each * weights[idx]).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
            seen += len(idx)
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{total / seen:.4f}")
        train_seconds = time.perf_counter() - epoch_started
        scores = {
            v: balanced_accuracy_score(
                val.y, predict_torch(model, val.part("crops", v), val.part("fft", v)) >= 0.5
            )
            for v in val.variants
        }
        score = float(np.mean(list(scores.values())))
        history.append(
            {
                "epoch": epoch + 1,
                "loss": total / seen,
                "val_battery_mean": score,
                "epoch_seconds": round(train_seconds, 1),
                "elapsed_seconds": round(time.perf_counter() - started, 1),
            }
        )
        if log:
            log(
                f"epoch {epoch + 1}: loss {total / seen:.4f}, val battery {score:.3f}, "
                f"{train_seconds:.0f} s"
            )
        if score > best_score:
            best_score, best_state = score, copy.deepcopy(model.state_dict())
        if time.perf_counter() - started > training.max_minutes * 60:
            if log:
                log(f"stopping after epoch {epoch + 1}: past {training.max_minutes} minutes")
            break
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return model, history
