"""What the frozen backbone says about an image: the mean and standard deviation of every channel
of some of its stages and of the head's feature map (the texture statistics that carry a style,
Gatys et al. 2016; the head's mean is the usual pooled embedding). Every model built on the
backbone (the movement probe, the learned-feature detector, the retrieval embedding) reads this
one vector, so one pass over an image serves them all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import torch
from torch import nn

from ml.backbone.lite import MEAN, STD, build_lite, variant

STATS_CODE_VERSION = 1  # bump when what the statistics mean changes


@dataclass(frozen=True)
class StatsSpec:
    """Which network, at which input size, read where."""

    variant: str = "lite0"
    size: int = 224
    taps: tuple[int, ...] = (3, 4, 5, 6)  # block stages whose output statistics are read

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "taps": list(self.taps), "code": STATS_CODE_VERSION}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatsSpec:
        return cls(str(data["variant"]), int(data["size"]), tuple(int(t) for t in data["taps"]))

    @cached_property
    def version(self) -> str:
        """Names this statistics vector in caches and model files: spec, code and the shipped
        weights' file (so a changed checkpoint never reads stale statistics)."""
        path = variant(self.variant).weights_path()
        stamp = f"{path.name}:{path.stat().st_size}"
        text = json.dumps({**self.to_json(), "weights": stamp}, sort_keys=True)
        return f"{self.variant}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"

    @property
    def mean(self) -> tuple[float, float, float]:
        return MEAN

    @property
    def std(self) -> tuple[float, float, float]:
        return STD


def mean_std(x: torch.Tensor) -> torch.Tensor:
    """Per-channel mean and standard deviation over the feature map: [N, 2C], in float32."""
    x = x.float()
    mean = x.mean(dim=(2, 3))
    std = ((x - mean[:, :, None, None]) ** 2).mean(dim=(2, 3)).add(1e-6).sqrt()
    return torch.cat([mean, std], 1)


class StatsNet(nn.Module):
    """pixels (normalised, [N, 3, S, S]) -> (the head's feature map, statistics [N, width])."""

    def __init__(self, spec: StatsSpec, pretrained: bool = True) -> None:
        super().__init__()
        self.spec = spec
        self.net = build_lite(spec.variant, pretrained=pretrained)
        self.width = int(self._width())

    def _width(self) -> int:
        was_training = self.training
        self.eval()
        with torch.no_grad():
            width = self(torch.zeros(1, 3, 64, 64))[1].shape[1]
        self.train(was_training)
        return width

    @property
    def embedding_width(self) -> int:
        return int(self.net.num_features)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        net = self.net
        x = net.bn1(net.conv_stem(x))
        stats = []
        for index, block in enumerate(net.blocks):
            x = block(x)
            if index in self.spec.taps:
                stats.append(mean_std(x))
        x = net.bn2(net.conv_head(x))
        stats.append(mean_std(x))
        return x, torch.cat(stats, 1)


class StatsOnly(nn.Module):
    """The statistics alone: what the shared ONNX backbone computes."""

    def __init__(self, inner: StatsNet) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)[1]


def embedding_slice(spec: StatsSpec, stats_net: StatsNet) -> slice:
    """Where the head's pooled features (the classic embedding) sit in the statistics: the head
    map's means come last but one."""
    width = stats_net.embedding_width
    return slice(stats_net.width - 2 * width, stats_net.width - width)
