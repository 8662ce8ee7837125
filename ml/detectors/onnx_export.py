"""Export the trained GFNet to ONNX and check that ONNX Runtime gives PyTorch's scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from graphkit.errors import ModelError
from ml.detectors.gfnet import GFNet, GFNetConfig, inputs

TOLERANCE = 1e-4
OPSET = 17


def export_onnx(model: GFNet, path: Path, config: GFNetConfig) -> Path:
    model.eval().exporting(True)
    pixels = torch.zeros(2, config.in_channels, config.image, config.image)
    spectra = torch.zeros(2, config.spectrum_channels, config.spectrum, config.spectrum)
    try:
        torch.onnx.export(
            model,
            (pixels, spectra),
            str(path),
            input_names=["pixels", "spectra"],
            output_names=["logit"],
            dynamic_axes={"pixels": {0: "batch"}, "spectra": {0: "batch"}, "logit": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )
    finally:
        model.exporting(False)
    return path


def onnx_session(path: Path, threads: int = 2):  # -> onnxruntime.InferenceSession
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelError(f"{path}: not a loadable ONNX model ({exc})") from exc


def onnx_predict(
    session, crops: np.ndarray, spectra: np.ndarray, batch_size: int = 256
) -> np.ndarray:
    """P(ai) from ONNX Runtime for N x CROP x CROP x 3 uint8 centre crops and their images'
    block spectra."""
    out = []
    for start in range(0, len(crops), batch_size):
        end = start + batch_size
        pixels, spectral = inputs(np.asarray(crops[start:end]), np.asarray(spectra[start:end]))
        logits = session.run(["logit"], {"pixels": pixels, "spectra": spectral})[0]
        out.append(1.0 / (1.0 + np.exp(-logits.astype(np.float64))))
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)


def max_difference(torch_scores: np.ndarray, onnx_scores: np.ndarray) -> float:
    return float(np.max(np.abs(torch_scores - onnx_scores))) if len(torch_scores) else 0.0
