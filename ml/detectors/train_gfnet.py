"""The GFNet training loop: AdamW, one-cycle schedule, weighted BCE, one random stored variant
(plain or one of the augmented ones) of each image per epoch, with a random crop and flip of
its canvas; the epoch with the best validation balanced accuracy (plain and JPEG 75 alike) is
kept."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from sklearn.metrics import balanced_accuracy_score
from tqdm import tqdm

from ml.detectors import preprocess
from ml.detectors.data import JPEG75, PLAIN, Split
from ml.detectors.gfnet import FFT, GFNet, GFNetConfig, inputs
from ml.detectors.weights import balanced_weights


@dataclass(frozen=True)
class GFNetTraining:
    epochs: int = 16
    min_steps: int = 120  # small datasets get more epochs, so that they get this many steps
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.05
    threads: int = 2

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
    model = GFNet(config)
    model.set_spectrum_scale(np.concatenate(np.asarray(train.spectra[:, :, FFT]), axis=0))
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
    val_views = {
        v: (preprocess.centre(np.asarray(val.variant(v))), np.asarray(val.variant_spectra(v)))
        for v in (PLAIN, JPEG75)
    }
    best_score, best_state, history = -1.0, None, []
    bar = tqdm(total=steps, desc="gfnet", disable=not progress, leave=False)
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(y))
        variant = rng.integers(0, train.images.shape[1], size=len(y))
        total, seen = 0.0, 0
        for start in range(0, len(order), training.batch_size):
            idx = np.sort(order[start : start + training.batch_size])
            canvases = np.asarray(train.images[idx, variant[idx]])
            spectra = np.asarray(train.spectra[idx, variant[idx]])
            pixels, spectral = inputs(preprocess.random_crops(canvases, rng), spectra)
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
        scores = {
            v: balanced_accuracy_score(val.y, predict_torch(model, *views) >= 0.5)
            for v, views in val_views.items()
        }
        score = float(np.mean(list(scores.values())))
        history.append({"epoch": epoch + 1, "loss": total / seen, "val_balanced_accuracy": score})
        if log:
            log(f"epoch {epoch + 1}: loss {total / seen:.4f}, val balanced accuracy {score:.3f}")
        if score > best_score:
            best_score, best_state = score, copy.deepcopy(model.state_dict())
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return model, history
