"""The image models of one worker, loaded once, at the first request that needs them.

Only the stable model interfaces are used: `load_detector(dir).score_images`,
`default_detectors(models_root)`, `OnnxMovementModel`, ml.scoring's `load_scorer` for the
predictions written back, and for Grad-CAM the PyTorch weights (`load_torch_model`,
`gradcam`), which load later still, at the first overlay asked for.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app

from api.config import ApiSettings
from graphkit.errors import ModelError
from ml.artifacts import load_model_dir
from ml.registry import weights_sha256


@contextlib.contextmanager
def ml_installed() -> Iterator[None]:
    """The image models need the `ml` extra; without it a model call is a ModelError (503)."""
    try:
        yield
    except ImportError as exc:
        raise ModelError(
            f"the image models need the ml extra (pip install 'graphkit[ml]'): {exc}"
        ) from exc


class ModelCache:
    EXTENSION = "graphkit_models"

    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings
        # Re-entrant: loading the PyTorch weights asks for the ONNX model's metadata first.
        self._lock = threading.RLock()
        self._loaded: dict[str, Any] = {}
        self._checks: dict[Path, tuple[tuple, dict[str, Any]]] = {}

    def _get(self, key: str, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._loaded:
                with ml_installed():
                    self._loaded[key] = load()
            return self._loaded[key]

    def movement_dir(self) -> Path:
        """Where `train movement` writes its default model, under the models root."""
        from ml.embeddings.embed import default_model_dir

        return self.settings.models_root / default_model_dir(Path()).name

    def detectors(self) -> list[Any]:
        """Every default detector that has been trained: the default `detector` (the
        ensemble) first, then svm-dct, backbone and gfnet."""

        def load() -> list[Any]:
            from ml.detectors.detect import default_detectors
            from ml.detectors.scorers import load_detector

            return [load_detector(path) for path in default_detectors(self.settings.models_root)]

        return self._get("detectors", load)

    def movement(self) -> Any:
        def load() -> Any:
            from ml.movement.onnx_model import OnnxMovementModel

            return OnnxMovementModel.load(self.movement_dir())

        return self._get("movement", load)

    def movement_torch(self) -> Any:
        """The PyTorch weights of the movement model, for Grad-CAM (it needs gradients)."""

        def load() -> Any:
            from ml.movement.model_dir import load_torch_model

            return load_torch_model(self.movement().meta)

        return self._get("movement_torch", load)

    def model_dirs(self) -> list[Path]:
        """The trained models that `POST /api/predict?write=true` writes predictions of: the
        default detectors that exist and the movement classifier when it does."""
        from ml.detectors.detect import default_detectors

        found = default_detectors(self.settings.models_root)  # ModelError (503) if none
        movement = self.movement_dir()
        return found + ([movement] if movement.is_dir() else [])

    def scorer(self, model_dir: Path) -> Any:
        """ml.scoring's Scorer for MODEL_DIR (full class probabilities, as `graphkit predict`
        writes them)."""

        def load() -> Any:
            from ml.scoring import load_scorer

            return load_scorer(model_dir)

        return self._get(f"scorer:{model_dir}", load)

    def model_files(self) -> list[dict[str, Any]]:
        """Each expected model directory: present, and its files matching model.json's sha256
        (checked on each call: a file changed on disk shows at once), with `sha256` the digest
        of its weights that the registry knows a version by."""
        from ml.detectors.detect import DEFAULT_DIRS

        wanted = [self.settings.models_root / name for name in DEFAULT_DIRS]
        wanted.append(self.movement_dir())
        return [self._checked(path) for path in wanted]

    def _checked(self, path: Path) -> dict[str, Any]:
        # Hashing tens of MB on every health probe is wasteful: the verdict is kept while
        # no file in the directory changes (name, size, modification time).
        files = sorted(path.iterdir()) if path.is_dir() else []
        signature = tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)
        cached = self._checks.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
        entry: dict[str, Any] = {"name": path.name, "present": path.is_dir()}
        try:
            meta = load_model_dir(path)
            entry.update(ok=True, task=meta.task, kind=meta.kind, sha256=weights_sha256(meta))
        except ModelError as exc:
            entry.update(ok=False, problem=str(exc))
        self._checks[path] = (signature, entry)
        return entry


def models() -> ModelCache:
    return current_app.extensions[ModelCache.EXTENSION]
