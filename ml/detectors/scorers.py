"""Load a detector model directory and score images with it: svm-dct from its scikit-learn
file, gfnet on ONNX Runtime (faster here) or, with runtime="torch", on PyTorch."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from PIL import Image

from graphkit.errors import ModelError
from ml.artifacts import ModelMeta, load_model_dir
from ml.detectors import preprocess, spectra
from ml.detectors.data import CLASSES

VIEW_THREADS = 2
SVM_FILE = "svm.joblib"
GFNET_WEIGHTS = "gfnet.pt"
GFNET_ONNX = "gfnet.onnx"
KINDS = ("svm-dct", "gfnet")


@dataclass
class Detector:
    meta: ModelMeta
    model: Any
    runtime: str  # "sklearn", "onnxruntime" or "torch"

    @property
    def name(self) -> str:
        return self.meta.kind

    def score_crops(self, crops: np.ndarray, block_spectra: np.ndarray) -> np.ndarray:
        """P(ai) for N x CROP x CROP x 3 uint8 centre crops and their images' block spectra."""
        if self.runtime == "sklearn":
            from ml.detectors.svm_dct import predict_svm

            return predict_svm(self.model, crops, block_spectra)
        if self.runtime == "onnxruntime":
            from ml.detectors.onnx_export import onnx_predict

            return onnx_predict(self.model, crops, block_spectra)
        from ml.detectors.train_gfnet import predict_torch

        return predict_torch(self.model, crops, block_spectra)

    def score_canvases(self, canvases: np.ndarray, block_spectra: np.ndarray) -> np.ndarray:
        """P(ai) for preprocessed images: canvases and block spectra (as the cache holds)."""
        return self.score_crops(preprocess.centre(np.asarray(canvases)), block_spectra)

    def score_images(self, images: list[Image.Image]) -> np.ndarray:
        """P(ai) for decoded images, of any size and mode (RGB)."""
        if not images:
            return np.zeros(0, dtype=np.float32)
        canvases, block_spectra = views(images, self.kinds)
        return self.score_canvases(canvases, block_spectra)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The spectra this detector reads (the other kind is filled with zeros, unused)."""
        return ("dct",) if self.meta.kind == "svm-dct" else ("fft",)


def views(
    images: list[Image.Image], kinds: tuple[str, ...] = spectra.KINDS
) -> tuple[np.ndarray, np.ndarray]:
    """The canvases and block spectra of IMAGES, as training stored them (the spectra of kinds
    not asked for stay zero). Two threads: resizing, DCT and FFT release the GIL."""
    shape = (len(images), len(spectra.KINDS), spectra.CHANNELS, spectra.BLOCK, spectra.BLOCK)
    canvases = np.empty((len(images), preprocess.CANVAS, preprocess.CANVAS, 3), dtype=np.uint8)
    block_spectra = np.zeros(shape, dtype=np.float16)
    slots = [spectra.KINDS.index(kind) for kind in kinds]

    def one(i: int) -> None:
        canvases[i] = preprocess.canvas(images[i])
        block_spectra[i, slots] = spectra.spectra(images[i], kinds=kinds)

    if len(images) < 8:
        for i in range(len(images)):
            one(i)
    else:
        with ThreadPoolExecutor(VIEW_THREADS) as pool:
            list(pool.map(one, range(len(images))))
    return canvases, block_spectra


def load_detector(path: Path, runtime: str | None = None) -> Detector:
    """The detector in PATH; ModelError when it is missing, tampered or not a detector."""
    meta = load_model_dir(path, expect_task="detector")
    if meta.kind not in KINDS:
        raise ModelError(f"{path}: unknown detector kind {meta.kind!r}")
    if meta.classes != CLASSES:
        raise ModelError(f"{path}: classes {meta.classes} are not {CLASSES}")
    if meta.kind == "svm-dct":
        from ml.detectors.svm_dct import SVMDetector

        try:
            model = joblib.load(meta.file(SVM_FILE))
        except (OSError, ValueError, EOFError, ImportError, AttributeError) as exc:
            raise ModelError(f"{meta.file(SVM_FILE)}: unreadable ({exc})") from exc
        if not isinstance(model, SVMDetector):
            raise ModelError(f"{meta.file(SVM_FILE)}: not an svm-dct detector")
        return Detector(meta, model, "sklearn")
    runtime = runtime or "onnxruntime"
    if runtime == "onnxruntime":
        from ml.detectors.onnx_export import onnx_session

        return Detector(meta, onnx_session(meta.file(GFNET_ONNX)), runtime)
    return Detector(meta, load_gfnet_torch(meta), "torch")


def load_gfnet_torch(meta: ModelMeta) -> Any:
    import torch

    from ml.detectors.gfnet import GFNet, GFNetConfig

    model = GFNet(GFNetConfig(**meta.config["model"]))
    try:
        state = torch.load(meta.file(GFNET_WEIGHTS), map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except (RuntimeError, OSError, KeyError) as exc:
        raise ModelError(f"{meta.file(GFNET_WEIGHTS)}: does not fit a GFNet ({exc})") from exc
    return model.eval()
