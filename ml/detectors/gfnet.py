"""A small Global Filter Network (Rao et al., 2021) over the image and its 2-D FFT.

The input is the centre crop's RGB plus the log-magnitude of the 2-D FFT of its luma (a
fourth channel); a small convolutional stem turns patches into tokens, and each block mixes
tokens with a learnable global filter in the frequency domain (FFT over the token grid,
elementwise complex weight, inverse FFT) in place of attention. The token-grid DFT is written
as products with fixed DFT matrices, which is exact, quick at this size (16 x 16 tokens), and
exports to ONNX as plain MatMul/Einsum.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ml.detectors.dct_features import luma
from ml.detectors.preprocess import CROP

MEAN, STD = 127.5, 64.0


@dataclass(frozen=True)
class GFNetConfig:
    image: int = CROP
    patch: int = 8
    dim: int = 64
    depth: int = 4
    mlp_ratio: float = 2.0
    in_channels: int = 4  # RGB + log|FFT| of the luma

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def fft_channel(crops: np.ndarray) -> np.ndarray:
    """N x H x W x 3 uint8 → N x H x W float32: log|FFT2| of the luma, centred, standardised
    with fixed constants so that every image is treated alike."""
    spectrum = np.fft.fftshift(np.fft.fft2(luma(crops) / 255.0), axes=(1, 2))
    return ((np.log(np.abs(spectrum) + 1e-3) + 1.0) / 2.0).astype(np.float32)


def inputs(crops: np.ndarray) -> np.ndarray:
    """N x CROP x CROP x 3 uint8 → N x 4 x CROP x CROP float32, the network's input."""
    rgb = (crops.astype(np.float32) - MEAN) / STD
    out = np.empty((len(crops), 4, crops.shape[1], crops.shape[2]), dtype=np.float32)
    out[:, :3] = rgb.transpose(0, 3, 1, 2)
    out[:, 3] = fft_channel(crops)
    return out


def _dft(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    angle = 2 * math.pi * np.outer(np.arange(n), np.arange(n)) / n
    return (
        torch.tensor(np.cos(angle), dtype=torch.float32),
        torch.tensor(np.sin(angle), dtype=torch.float32),
    )


class GlobalFilter(nn.Module):
    """x (B, H, W, D) → real part of IFFT2(FFT2(x) * K), K a learnable complex (H, W, D)."""

    def __init__(self, h: int, w: int, dim: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(2, h, w, dim) * 0.02)
        with torch.no_grad():
            self.weight[0] += 1.0  # start near the identity filter
        ch, sh = _dft(h)
        cw, sw = _dft(w)
        self.register_buffer("ch", ch, persistent=False)
        self.register_buffer("sh", sh, persistent=False)
        self.register_buffer("cw", cw, persistent=False)
        self.register_buffer("sw", sw, persistent=False)
        self.scale = 1.0 / (h * w)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ch, sh, cw, sw = self.ch, self.sh, self.cw, self.sw
        # forward DFT: exp(-i theta) = cos - i sin, along H then W
        re = torch.einsum("hk,bkwd->bhwd", ch, x)
        im = -torch.einsum("hk,bkwd->bhwd", sh, x)
        re, im = (
            torch.einsum("bhkd,kw->bhwd", re, cw) + torch.einsum("bhkd,kw->bhwd", im, sw),
            torch.einsum("bhkd,kw->bhwd", im, cw) - torch.einsum("bhkd,kw->bhwd", re, sw),
        )
        wr, wi = self.weight[0], self.weight[1]
        re, im = re * wr - im * wi, re * wi + im * wr
        # inverse DFT: exp(+i theta), keep the real part
        re, im = (
            torch.einsum("bhkd,kw->bhwd", re, cw) - torch.einsum("bhkd,kw->bhwd", im, sw),
            torch.einsum("bhkd,kw->bhwd", im, cw) + torch.einsum("bhkd,kw->bhwd", re, sw),
        )
        out = torch.einsum("hk,bkwd->bhwd", ch, re) - torch.einsum("hk,bkwd->bhwd", sh, im)
        return out * self.scale


class Block(nn.Module):
    def __init__(self, grid: int, dim: int, mlp_ratio: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.filter = GlobalFilter(grid, grid, dim)
        self.norm2 = nn.LayerNorm(dim)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.filter(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class GFNet(nn.Module):
    """Input N x 4 x CROP x CROP (see `inputs`); output N logits of P(ai)."""

    def __init__(self, config: GFNetConfig) -> None:
        super().__init__()
        grid = config.image // config.patch
        # A small convolutional stem in place of one large patch projection: with a few
        # thousand images, local filters learn far faster (as in hybrid ViTs).
        stem, half = config.dim // 2, config.patch // 4
        self.embed = nn.Sequential(
            nn.Conv2d(config.in_channels, stem // 2, 3, 2, 1),
            nn.BatchNorm2d(stem // 2),
            nn.GELU(),
            nn.Conv2d(stem // 2, stem, 3, 2, 1),
            nn.BatchNorm2d(stem),
            nn.GELU(),
            nn.Conv2d(stem, config.dim, half, half),
        )
        self.pos = nn.Parameter(torch.zeros(1, grid, grid, config.dim))
        self.blocks = nn.Sequential(
            *(Block(grid, config.dim, config.mlp_ratio) for _ in range(config.depth))
        )
        self.norm = nn.LayerNorm(config.dim)
        self.head = nn.Linear(config.dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.embed(x).permute(0, 2, 3, 1) + self.pos  # B, H, W, D
        x = self.norm(self.blocks(x))
        return self.head(x.mean(dim=(1, 2))).squeeze(-1)
