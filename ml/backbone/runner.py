"""The frozen backbone's statistics computed by ONNX Runtime (3-5x faster than eager PyTorch on
2 cores, in float32 as inference is), from uint8 squares, BATCH at a time. The ONNX graph is
exported once per statistics version into the cache folder."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from graphkit.errors import ModelError
from ml.backbone.stats import StatsNet, StatsOnly, StatsSpec

BATCH = 32
LOG_EVERY = 2048  # images between progress lines


def export_stats_onnx(spec: StatsSpec, path: Path) -> None:
    from ml.movement.model_dir import export_module

    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed: a killed export never leaves half a file under the name.
    handle, scratch = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(handle)
    try:
        export_module(StatsOnly(StatsNet(spec)), Path(scratch), spec.size, ["stats"])
        Path(scratch).replace(path)
    finally:
        Path(scratch).unlink(missing_ok=True)


class BackboneRunner:
    """uint8 pixels [N, S, S, 3] -> statistics [N, width] (float32)."""

    def __init__(
        self,
        spec: StatsSpec,
        onnx_dir: Path | None = None,
        threads: int = 2,
        onnx_file: Path | None = None,
    ) -> None:
        """The ONNX graph is ONNX_FILE (a model directory's own copy) or, exported there on
        first use, ONNX_DIR/<statistics version>.onnx."""
        import onnxruntime as ort

        self.spec = spec
        if onnx_file is not None:
            path = Path(onnx_file)
        elif onnx_dir is not None:
            path = Path(onnx_dir) / f"{spec.version}.onnx"
            if not path.is_file():
                export_stats_onnx(spec, path)
        else:
            raise ValueError("a BackboneRunner needs onnx_dir or onnx_file")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"{path}: not a loadable ONNX backbone ({exc})") from exc
        self.width = int(self.session.get_outputs()[0].shape[1])
        self._mean = np.asarray(spec.mean, np.float32).reshape(1, 3, 1, 1) * 255.0
        self._scale = 1.0 / (np.asarray(spec.std, np.float32).reshape(1, 3, 1, 1) * 255.0)

    def run(
        self, pixels: np.ndarray, log: Callable[[str], None] | None = None, flip: bool = False
    ) -> np.ndarray:
        """Statistics of PIXELS (mirrored left to right with FLIP), with a progress line every
        LOG_EVERY images when LOG is given."""
        out, started = [], time.perf_counter()
        for start in range(0, len(pixels), BATCH):
            batch = pixels[start : start + BATCH]
            if flip:
                batch = batch[:, :, ::-1]
            x = batch.transpose(0, 3, 1, 2).astype(np.float32)
            out.append(self.session.run(None, {"pixels": (x - self._mean) * self._scale})[0])
            done = start + len(batch)
            if log is not None and (done % LOG_EVERY < BATCH or done == len(pixels)):
                rate = done / max(time.perf_counter() - started, 1e-9)
                log(f"backbone statistics: {done:,}/{len(pixels):,} images ({rate:.0f}/s)")
        return np.concatenate(out) if out else np.zeros((0, self.width), np.float32)
