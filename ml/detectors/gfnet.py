"""A small Global Filter Network (Rao et al., 2021) over two views of an image, each a grid of
tokens mixed by learnable global filters in the frequency domain (FFT over the token grid,
elementwise complex weight, inverse FFT) in place of attention:

- the spectral branch reads the canonical square's block-averaged log-magnitude FFT of the
  luma and of its Laplacian residual (views.py, 2 x 64 x 64), standardised with the training
  set's mean and spread, cut into 4 x 4 patches: where a generator's traces are;
- the image branch reads the canonical square at 128 px, RGB plus the log-magnitude FFT of its
  luma, through a small convolutional stem: the look of the whole picture.

Both are pooled and joined in one logit of P(ai). Training runs the token-grid FFT with
torch.fft (fast, with gradients); for the ONNX export, which has no complex numbers, the same
transform is written as products with fixed DFT matrices (`GFNet.exporting`), exact to float
rounding, and the export is checked against PyTorch.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ml.detectors.dct_features import luma
from ml.detectors.spectra import BLOCK, CHANNELS
from ml.detectors.views import CROP

MEAN, STD = 127.5, 64.0


@dataclass(frozen=True)
class GFNetConfig:
    image: int = CROP
    patch: int = 8
    dim: int = 64
    depth: int = 2
    mlp_ratio: float = 2.0
    in_channels: int = 4  # RGB + log|FFT| of the luma
    spectrum: int = BLOCK
    spectrum_channels: int = CHANNELS
    spectrum_patch: int = 4
    spectrum_dim: int = 48
    spectrum_depth: int = 3
    dropout: float = 0.2

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def fft_channel(crops: np.ndarray) -> np.ndarray:
    """N x H x W x 3 uint8 → N x H x W float32: log|FFT2| of the luma, centred, standardised
    with fixed constants so that every image is treated alike."""
    spectrum = np.fft.fftshift(np.fft.fft2(luma(crops) / 255.0), axes=(1, 2))
    return ((np.log(np.abs(spectrum) + 1e-3) + 1.0) / 2.0).astype(np.float32)


def pixel_inputs(crops: np.ndarray) -> np.ndarray:
    """N x CROP x CROP x 3 uint8 → N x 4 x CROP x CROP float32, the image branch's input."""
    rgb = (crops.astype(np.float32) - MEAN) / STD
    out = np.empty((len(crops), 4, crops.shape[1], crops.shape[2]), dtype=np.float32)
    out[:, :3] = rgb.transpose(0, 3, 1, 2)
    out[:, 3] = fft_channel(crops)
    return out


def spectrum_inputs(spectra: np.ndarray) -> np.ndarray:
    """N x CHANNELS x BLOCK x BLOCK FFT block spectra → float32, the spectral branch's input
    (the model standardises it itself)."""
    return np.ascontiguousarray(spectra, dtype=np.float32)


def inputs(crops: np.ndarray, spectra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The network's two inputs for N crops and their images' block spectra."""
    if len(crops) != len(spectra):
        raise ValueError(f"{len(crops)} crops but {len(spectra)} spectra")
    return pixel_inputs(crops), spectrum_inputs(spectra)


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
        self.matrices = False  # True while exporting: DFT as matrix products, no complex ops
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
        if not self.matrices:
            spectrum = torch.fft.fft2(x, dim=(1, 2))
            weight = torch.complex(self.weight[0], self.weight[1])
            return torch.fft.ifft2(spectrum * weight, dim=(1, 2)).real
        return self._by_matrices(x)

    def _by_matrices(self, x: torch.Tensor) -> torch.Tensor:
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


class Branch(nn.Module):
    """Patch embedding → global-filter blocks over the token grid → mean-pooled features."""

    def __init__(self, embed: nn.Module, grid: int, dim: int, depth: int, mlp_ratio: float):
        super().__init__()
        self.embed = embed
        self.pos = nn.Parameter(torch.zeros(1, grid, grid, dim))
        self.blocks = nn.Sequential(*(Block(grid, dim, mlp_ratio) for _ in range(depth)))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.embed(x).permute(0, 2, 3, 1) + self.pos  # B, H, W, D
        return self.norm(self.blocks(x)).mean(dim=(1, 2))


def _image_stem(config: GFNetConfig) -> nn.Module:
    # A small convolutional stem in place of one large patch projection: with a few thousand
    # images, local filters learn far faster (as in hybrid ViTs).
    stem, half = config.dim // 2, config.patch // 4
    return nn.Sequential(
        nn.Conv2d(config.in_channels, stem // 2, 3, 2, 1),
        nn.BatchNorm2d(stem // 2),
        nn.GELU(),
        nn.Conv2d(stem // 2, stem, 3, 2, 1),
        nn.BatchNorm2d(stem),
        nn.GELU(),
        nn.Conv2d(stem, config.dim, half, half),
    )


class GFNet(nn.Module):
    """Inputs (see `inputs`): N x 4 x CROP x CROP pixels and N x 2 x 64 x 64 block spectra;
    output N logits of P(ai). `spectrum_mean`/`spectrum_std` are set from the training set
    before training (`set_spectrum_scale`) and saved with the weights."""

    def __init__(self, config: GFNetConfig) -> None:
        super().__init__()
        side = config.spectrum
        self.register_buffer("spectrum_mean", torch.zeros(config.spectrum_channels, side, side))
        self.register_buffer("spectrum_std", torch.ones(config.spectrum_channels, side, side))
        patch = config.spectrum_patch
        self.spectral = Branch(
            nn.Conv2d(config.spectrum_channels, config.spectrum_dim, patch, patch),
            side // patch,
            config.spectrum_dim,
            config.spectrum_depth,
            config.mlp_ratio,
        )
        self.image = Branch(
            _image_stem(config),
            config.image // config.patch,
            config.dim,
            config.depth,
            config.mlp_ratio,
        )
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.dim + config.spectrum_dim, 1)

    @torch.no_grad()
    def set_spectrum_scale(self, spectra: np.ndarray) -> None:
        """Standardise the spectral input with the mean and spread of these (training) ones."""
        values = torch.from_numpy(np.asarray(spectra, dtype=np.float32))
        self.spectrum_mean.copy_(values.mean(dim=0))
        self.spectrum_std.copy_(values.std(dim=0) + 1e-3)

    def exporting(self, on: bool = True) -> GFNet:
        """Switch every global filter to (or back from) the DFT-matrix form ONNX can hold."""
        for module in self.modules():
            if isinstance(module, GlobalFilter):
                module.matrices = on
        return self

    def forward(self, pixels: torch.Tensor, spectra: torch.Tensor) -> torch.Tensor:
        spectra = (spectra - self.spectrum_mean) / self.spectrum_std
        joined = torch.cat([self.image(pixels), self.spectral(spectra)], dim=1)
        return self.head(self.dropout(joined)).squeeze(-1)
