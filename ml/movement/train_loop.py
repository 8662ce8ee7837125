"""The plain training loop shared by every backbone: augmentation that keeps style cues
(random crops and scale, horizontal flips; no colour changes), bf16 autocast and channels-last on
the CPU, AdamW with a cosine schedule, partial unfreezing, and the best validation epoch kept."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from ml.movement.backbones import Backbone, Classifier


@dataclass
class TrainConfig:
    epochs: int = 8
    batch_size: int = 32
    image_size: int = 224  # what the model is evaluated and used at
    # Training crops are smaller: 0.7x the compute, and a net trained on random crops at a
    # lower size does as well or better at the full size (Touvron et al., FixRes, 2019).
    train_size: int = 192
    min_crop: float = 0.35  # RandomResizedCrop's smallest area share
    label_smoothing: float = 0.1
    weight_decay: float = 0.02
    lr: float | None = None  # None: the backbone's own
    warmup_steps: int = 30
    seed: int = 0
    threads: int = 2
    views: int = 1  # augmented views the frozen prefix of a split backbone is run over
    max_minutes: float | None = None  # a time budget: training stops at the step past it

    def to_json(self) -> dict:
        return asdict(self)


def normaliser(backbone: Backbone) -> Callable[[torch.Tensor], torch.Tensor]:
    mean = torch.tensor(backbone.mean).view(1, 3, 1, 1) * 255.0
    std = torch.tensor(backbone.std).view(1, 3, 1, 1) * 255.0

    def normalise(pixels: torch.Tensor) -> torch.Tensor:
        # uint8 NHWC -> float NCHW in channels-last memory (no copy of the layout)
        x = pixels.permute(0, 3, 1, 2).float()
        return ((x - mean) / std).contiguous(memory_format=torch.channels_last)

    return normalise


def augment(
    pixels: np.ndarray, size: int, min_crop: float, rng: np.random.Generator
) -> torch.Tensor:
    """Random resized crop (area share min_crop..1, aspect 3/4..4/3) and horizontal flip."""
    import torch.nn.functional as F

    batch, height, width, _ = pixels.shape
    out = torch.empty((batch, size, size, 3), dtype=torch.uint8)
    source = torch.from_numpy(pixels)
    for i in range(batch):
        area = rng.uniform(min_crop, 1.0) * height * width
        ratio = math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
        w = min(width, round(math.sqrt(area * ratio)))
        h = min(height, round(math.sqrt(area / ratio)))
        top = int(rng.integers(0, height - h + 1))
        left = int(rng.integers(0, width - w + 1))
        crop = source[i, top : top + h, left : left + w].permute(2, 0, 1)[None].float()
        crop = F.interpolate(crop, size=(size, size), mode="bilinear", antialias=True)
        if rng.random() < 0.5:
            crop = crop.flip(3)
        out[i] = crop[0].permute(1, 2, 0).round().clamp(0, 255).to(torch.uint8)
    return out


def set_trainable(model: Classifier, backbone: Backbone) -> list[nn.Parameter]:
    """Freeze what the backbone does not train; frozen BatchNorms keep their ImageNet stats."""
    prefixes = backbone.trainable
    params = []
    for name, param in model.named_parameters():
        param.requires_grad = prefixes is None or name.startswith(prefixes)
        if param.requires_grad:
            params.append(param)
    return params


def _freeze_norms(model: Classifier, backbone: Backbone) -> None:
    if backbone.trainable is None:
        return
    for name, module in model.named_modules():
        if isinstance(module, nn.BatchNorm2d) and not name.startswith(backbone.trainable):
            module.eval()


@torch.inference_mode()
def predict_logits(
    model: Classifier, pixels: np.ndarray, backbone: Backbone, batch_size: int = 64
) -> np.ndarray:
    model.eval()
    normalise = normaliser(backbone)
    out = []
    for start in range(0, len(pixels), batch_size):
        x = normalise(torch.from_numpy(pixels[start : start + batch_size]))
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out.append(model(x).float())
    return torch.cat(out).numpy()


class _Stepper:
    """How one batch becomes logits. Whole model: augment the pixels and run everything.
    Split backbone: the frozen prefix ran once over `views` augmented copies of the training
    images (and once over the evaluation images), so a step runs only the trainable rest."""

    def __init__(
        self,
        model: Classifier,
        backbone: Backbone,
        pixels: np.ndarray,
        config: TrainConfig,
        rng: np.random.Generator,
        log: Callable[[str], None],
    ) -> None:
        self.model, self.backbone, self.pixels, self.config, self.rng = (
            model,
            backbone,
            pixels,
            config,
            rng,
        )
        self.normalise = normaliser(backbone)
        self.views: list[torch.Tensor] = []
        self.rest: nn.Module | None = None
        if backbone.split is not None:
            self.prefix, self.rest = backbone.split(model)
            start = time.perf_counter()
            for _ in range(config.views):
                self.views.append(self._prefix_all(pixels, augmented=True))
            log(
                f"frozen prefix over {config.views} augmented views of {len(pixels)} images: "
                f"{time.perf_counter() - start:.0f} s"
            )

    @torch.inference_mode()
    def _prefix_all(self, pixels: np.ndarray, augmented: bool) -> torch.Tensor:
        self.prefix.eval()
        out = []
        for start in range(0, len(pixels), 64):
            chunk = pixels[start : start + 64]
            if augmented:
                chunk = augment(chunk, self.config.train_size, self.config.min_crop, self.rng)
            else:
                chunk = torch.from_numpy(chunk)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                out.append(self.prefix(self.normalise(chunk)).to(torch.bfloat16))
        return torch.cat(out)

    def _rest_logits(self, features: torch.Tensor) -> torch.Tensor:
        assert self.rest is not None
        x = features.float().contiguous(memory_format=torch.channels_last)
        pooled = self.model.pool(self.rest(x)).flatten(1)
        return self.model.head(self.model.dropout(pooled))

    def train_logits(self, batch: np.ndarray, epoch: int) -> torch.Tensor:
        if self.rest is not None:
            features = self.views[epoch % len(self.views)][batch]
            # A cheap extra variation between epochs over the same cached views: mirror the
            # feature maps of half the batch (close to, not exactly, mirroring the image).
            flip = torch.from_numpy(self.rng.random(len(batch)) < 0.5)
            features = torch.where(flip[:, None, None, None], features.flip(3), features)
            return self._rest_logits(features)
        x = augment(self.pixels[batch], self.config.train_size, self.config.min_crop, self.rng)
        return self.model(self.normalise(x))

    def evaluator(self, pixels: np.ndarray) -> Callable[[], np.ndarray]:
        """A function giving the model's current logits for PIXELS (prefix run only once)."""
        if self.rest is None:
            return lambda: predict_logits(self.model, pixels, self.backbone)
        features = self._prefix_all(pixels, augmented=False)

        @torch.inference_mode()
        def logits() -> np.ndarray:
            self.model.eval()
            out = []
            for start in range(0, len(features), 128):
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    out.append(self._rest_logits(features[start : start + 128]).float())
            return torch.cat(out).numpy() if out else np.zeros((0, 1), np.float32)

        return logits


def train_model(
    model: Classifier,
    backbone: Backbone,
    train_pixels: np.ndarray,
    train_labels: np.ndarray,
    val_pixels: np.ndarray,
    val_labels: np.ndarray,
    config: TrainConfig,
    log: Callable[[str], None] = print,
    report: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict]:
    """Train MODEL in place; it ends holding the weights of its best validation epoch.
    Returns one record per epoch (loss, val top-1, seconds). REPORT (pixels, labels) is only
    measured after each epoch, to show how the test figure grows with time; never chosen on."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = np.random.default_rng(config.seed)
    started = time.perf_counter()
    params = set_trainable(model, backbone)
    stepper = _Stepper(model, backbone, train_pixels, config, rng, log)
    val_logits = stepper.evaluator(val_pixels)
    report_logits = stepper.evaluator(report[0]) if report is not None else None
    lr = config.lr or backbone.lr
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=config.weight_decay)
    steps_per_epoch = math.ceil(len(train_pixels) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = min(config.warmup_steps, max(1, total // 10))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda s: (
            min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total))
        ),
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)
    history: list[dict] = []
    best: tuple[float, dict] | None = None

    def out_of_time() -> bool:
        limit = config.max_minutes
        return limit is not None and time.perf_counter() - started > limit * 60

    for epoch in range(config.epochs):
        model.train()
        _freeze_norms(model, backbone)
        order = rng.permutation(len(train_pixels))
        losses = []
        epoch_start = time.perf_counter()
        for step in range(steps_per_epoch):
            batch = np.sort(order[step * config.batch_size : (step + 1) * config.batch_size])
            y = torch.from_numpy(train_labels[batch])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = loss_fn(stepper.train_logits(batch, epoch).float(), y)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
            if out_of_time():
                log(f"stopping in epoch {epoch + 1} at step {step + 1}: past the time budget")
                break
        logits = val_logits()
        top1 = float((logits.argmax(1) == val_labels).mean()) if len(val_labels) else 0.0
        record = {
            "epoch": epoch + 1,
            "loss": float(np.mean(losses)),
            "val_top1": top1,
            "seconds": time.perf_counter() - epoch_start,
            "elapsed_s": time.perf_counter() - started,
        }
        if report is not None and report_logits is not None:
            record["test_top1"] = float((report_logits().argmax(1) == report[1]).mean())
        history.append(record)
        log(
            f"epoch {epoch + 1}/{config.epochs}: loss {record['loss']:.3f}, val top-1 {top1:.3f}"
            + (f", test top-1 {record['test_top1']:.3f}" if "test_top1" in record else "")
            + f", {record['seconds']:.0f} s ({record['elapsed_s'] / 60:.1f} min in all)"
        )
        if best is None or top1 > best[0]:
            best = (top1, {k: v.detach().clone() for k, v in model.state_dict().items()})
        if out_of_time():
            break
    if best is not None:
        model.load_state_dict(best[1])
    model.eval()
    return history
