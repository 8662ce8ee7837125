"""Load a detector model directory and score images with it. Every kind reads some parts of an
image (data.PARTS) taken through one canonical path, and scores those parts:

svm-dct    the `svm` features of the canonical square (scikit-learn file, fast matrix path)
backbone   the frozen backbone's `stats` of the image's 224 px square (its ONNX and a probe)
gfnet      the canonical square's `crops` and `fft` spectra (ONNX Runtime, or PyTorch)
ensemble   its members' calibrated probabilities combined (the default `detector`)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from PIL import Image

from graphkit.errors import ModelError
from ml.artifacts import ModelMeta, load_model_dir
from ml.detectors.data import CLASSES, FEATURES_VERSION, spectral_parts

SVM_FILE = "svm.joblib"
GFNET_WEIGHTS = "gfnet.pt"
GFNET_ONNX = "gfnet.onnx"
KINDS = ("svm-dct", "backbone", "gfnet", "ensemble")
PARTS_OF = {"svm-dct": ("svm",), "backbone": ("stats",), "gfnet": ("crops", "fft")}


@dataclass
class Detector:
    meta: ModelMeta
    model: Any
    runtime: str  # "numpy", "onnxruntime", "torch" or "ensemble"
    members: list[Detector] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The kind (svm-dct, backbone, gfnet), or `detector` for the default ensemble."""
        return "detector" if self.meta.kind == "ensemble" else self.meta.kind

    @property
    def parts(self) -> tuple[str, ...]:
        if self.members:
            return tuple(dict.fromkeys(p for m in self.members for p in m.parts))
        return PARTS_OF[self.meta.kind]

    def score_parts(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """P(ai) from the parts of N images (each [N, ...], as data.Split.part gives them)."""
        kind = self.meta.kind
        if kind == "svm-dct":
            return self.model.p_ai(parts["svm"])
        if kind == "backbone":
            return self.model.p_ai(np.asarray(parts["stats"], np.float32))
        if kind == "ensemble":
            return self.model.p_ai([m.score_parts(parts) for m in self.members])
        crops, fft = parts["crops"], parts["fft"]
        if self.runtime == "onnxruntime":
            from ml.detectors.onnx_export import onnx_predict

            return onnx_predict(self.model, crops, fft)
        from ml.detectors.train_gfnet import predict_torch

        return predict_torch(self.model, crops, fft)

    def score_images(
        self, images: Sequence[Image.Image], stats: np.ndarray | None = None
    ) -> np.ndarray:
        """P(ai) for decoded images of any size and mode (RGB). STATS: the images' backbone
        statistics when the caller has them already (the shared cache); else computed."""
        if not images:
            return np.zeros(0, dtype=np.float32)
        return self.score_parts(image_parts(images, self.parts, self.backbone, stats))

    @property
    def backbone(self) -> Any:
        """The ONNX backbone runner of a backbone detector (or of an ensemble's member)."""
        if self.meta.kind == "backbone":
            return self.model.runner
        for member in self.members:
            if member.meta.kind == "backbone":
                return member.model.runner
        return None

    @property
    def statistics_version(self) -> str | None:
        """The backbone statistics this detector reads (None: it reads none)."""
        runner = self.backbone
        return runner.spec.version if runner is not None else None


def image_parts(
    images: Sequence[Image.Image],
    wanted: Sequence[str],
    runner: Any = None,
    stats: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The parts WANTED of IMAGES, through the canonical path training used."""
    from ml.movement.data import square

    out = spectral_parts(images, set(wanted))
    if "stats" in wanted:
        if stats is None:
            if runner is None:
                raise ModelError("this detector needs backbone statistics and has no backbone")
            stats = runner.run(np.stack([square(image, runner.spec.size) for image in images]))
        out["stats"] = np.asarray(stats, np.float32)
    return out


@dataclass
class _ProbeWithRunner:
    probe: Any
    runner: Any

    def p_ai(self, stats: np.ndarray) -> np.ndarray:
        return self.probe.p_ai(stats)


def load_detector(path: Path, runtime: str | None = None) -> Detector:
    """The detector in PATH; ModelError when it is missing, tampered or not a detector."""
    meta = load_model_dir(path, expect_task="detector")
    if meta.kind not in KINDS:
        raise ModelError(f"{path}: unknown detector kind {meta.kind!r}")
    if meta.classes != CLASSES:
        raise ModelError(f"{path}: classes {meta.classes} are not {CLASSES}")
    if meta.kind in ("svm-dct", "gfnet"):  # both read the canonical square's views
        trained_on = meta.preprocessing.get("features", 3)  # models before the field: 3
        if trained_on != FEATURES_VERSION:
            raise ModelError(
                f"{path}: trained on detector features version {trained_on}, this code computes "
                f"version {FEATURES_VERSION}: retrain it (graphkit train detector --kind "
                f"{meta.kind})"
            )
    if meta.kind == "svm-dct":
        from ml.detectors.svm_dct import SVMDetector

        try:
            model = joblib.load(meta.file(SVM_FILE))
        except (OSError, ValueError, EOFError, ImportError, AttributeError) as exc:
            raise ModelError(f"{meta.file(SVM_FILE)}: unreadable ({exc})") from exc
        if not isinstance(model, SVMDetector):
            raise ModelError(f"{meta.file(SVM_FILE)}: not an svm-dct detector")
        return Detector(meta, model, "numpy")
    if meta.kind == "backbone":
        return Detector(meta, _load_backbone_probe(meta), "onnxruntime")
    if meta.kind == "ensemble":
        from ml.detectors.ensemble import load_members

        model, members = load_members(meta, runtime)
        return Detector(meta, model, "ensemble", members)
    runtime = runtime or "onnxruntime"
    if runtime == "onnxruntime":
        from ml.detectors.onnx_export import onnx_session

        return Detector(meta, onnx_session(meta.file(GFNET_ONNX)), runtime)
    return Detector(meta, load_gfnet_torch(meta), "torch")


def _load_backbone_probe(meta: ModelMeta) -> _ProbeWithRunner:
    from ml.backbone.runner import BackboneRunner
    from ml.backbone.stats import StatsSpec
    from ml.detectors.backbone_probe import BACKBONE_ONNX, PROBE_FILE, StatsProbe

    statistics = meta.preprocessing.get("statistics")
    if not statistics:
        raise ModelError(f"{meta.path}: model.json names no backbone statistics")
    spec = StatsSpec.from_json(statistics)
    try:
        probe = StatsProbe.load(meta.file(PROBE_FILE))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{meta.file(PROBE_FILE)}: unreadable ({exc})") from exc
    runner = BackboneRunner(spec, onnx_file=meta.file(BACKBONE_ONNX))
    if runner.width != probe.mean.shape[0]:
        raise ModelError(
            f"{meta.path}: the probe reads {probe.mean.shape[0]} statistics, "
            f"the backbone gives {runner.width}"
        )
    return _ProbeWithRunner(probe, runner)


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
