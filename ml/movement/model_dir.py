"""A movement model directory: `weights.pt` (PyTorch state dict, for Grad-CAM and further
training), `model.onnx` (logits and embedding, what inference runs), for a probe `head.npz` (the
head alone, read over the shared backbone statistics) and `model.json` (backbone, classes,
config, dataset id, metrics, preprocessing, the sha256 of every file)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import torch

from graphkit.errors import ModelError
from ml.artifacts import ModelMeta, load_model_dir, save_model_dir
from ml.movement.backbones import (
    BACKBONES,
    Classifier,
    ProbeClassifier,
    build_model,
    get_backbone,
)
from ml.movement.head import HEAD_FILE, ProbeHead

TASK = "movement"
WEIGHTS = "weights.pt"
ONNX = "model.onnx"


def preprocessing(backbone: str, size: int, model: Classifier | None = None) -> dict[str, Any]:
    spec = get_backbone(backbone)
    out: dict[str, Any] = {
        "size": size,
        "resize": "shorter side to size, centre square",
        "mean": list(spec.mean),
        "std": list(spec.std),
        "channels": "RGB",
    }
    if isinstance(model, ProbeClassifier):
        # The backbone statistics this head reads: scorers sharing them run the backbone once.
        out["statistics"] = {**model.spec.to_json(), "version": model.spec.version}
    return out


def export_onnx(model: Classifier, path: Path, size: int) -> None:
    """Two outputs: logits [N, C] and the pooled embedding [N, D]; the batch is dynamic."""

    class Both(torch.nn.Module):
        def __init__(self, inner: Classifier) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            return self.inner.outputs(x)

    export_module(Both(model), path, size, ["logits", "embedding"])


def export_module(module: torch.nn.Module, path: Path, size: int, outputs: list[str]) -> None:
    """MODULE (pixels [N, 3, SIZE, SIZE] -> OUTPUTS) as ONNX, in float32, the batch dynamic."""
    module = module.to(memory_format=torch.contiguous_format).float().eval()
    example = torch.zeros(1, 3, size, size)
    with warnings.catch_warnings():
        # The TorchScript exporter (dynamo=False) is deprecated but quick and exact here.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            module,
            (example,),
            str(path),
            input_names=["pixels"],
            output_names=outputs,
            dynamic_axes={"pixels": {0: "batch"}, **{name: {0: "batch"} for name in outputs}},
            opset_version=17,
            dynamo=False,
        )


def save_movement_model(
    out_dir: Path,
    model: Classifier,
    backbone: str,
    classes: list[str],
    *,
    config: dict[str, Any],
    metrics: dict[str, Any],
    dataset_id: str | None,
    size: int,
) -> ModelMeta:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = model.to(memory_format=torch.contiguous_format).float().eval()
    torch.save(model.state_dict(), out_dir / WEIGHTS)
    export_onnx(model, out_dir / ONNX, size)
    weights = {WEIGHTS: "", ONNX: ""}
    if isinstance(model, ProbeClassifier):
        ProbeHead.from_model(model).save(out_dir / HEAD_FILE)
        weights[HEAD_FILE] = ""
    meta = ModelMeta(
        task=TASK,
        kind=backbone,
        classes=list(classes),
        weights=weights,
        config=config,
        preprocessing=preprocessing(backbone, size, model),
        metrics=metrics,
        dataset_id=dataset_id,
    )
    save_model_dir(out_dir, meta)
    return meta


def load_movement_meta(path: Path) -> ModelMeta:
    """model.json checked: a movement model, a known backbone, hashes intact, classes listed."""
    meta = load_model_dir(Path(path), expect_task=TASK)
    if meta.kind not in BACKBONES:
        raise ModelError(f"{Path(path) / 'model.json'}: unknown backbone {meta.kind!r}")
    if not meta.classes or len(set(meta.classes)) != len(meta.classes):
        raise ModelError(f"{Path(path) / 'model.json'}: the class list is empty or repeats")
    for name in (WEIGHTS, ONNX):
        if name not in meta.weights:
            raise ModelError(f"{Path(path) / 'model.json'}: does not list {name}")
    return meta


def load_torch_model(meta: ModelMeta) -> Classifier:
    """The PyTorch model of META, its weights checked against the backbone and class list."""
    model = build_model(meta.kind, len(meta.classes), pretrained=False)
    weights = meta.file(WEIGHTS)
    try:
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ModelError(
            f"{weights}: does not fit a {meta.kind} with {len(meta.classes)} classes ({first})"
        ) from exc
    return model.eval()
