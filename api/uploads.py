"""Uploads kept with their predictions (`POST /api/predict?write=true`).

The file is stored as DATA_DIR/uploads/<sha256>.<ext> (the extension from the decoded format,
never from the client's file name), written to a temporary name and renamed, so a reader never
sees half a file. It becomes an `Artwork {id: 'upload:<sha256>', sources: ['upload']}` (an
artwork of unknown making: `graphkit predict` and `embed` take it like any other image, and
dataset builds label it only by a review), and each registered model in the models directory
writes its prediction about it through graphkit.predictions.write, as `graphkit predict` does.
The same bytes uploaded again find the same node and the same prediction ids: nothing new is
created.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from api.config import ApiSettings
from api.errors import Unprocessable
from api.media import IMAGE_SUFFIXES
from api.models import ModelCache
from graphkit.errors import ModelError
from graphkit.predictions.rows import prediction_row
from graphkit.predictions.write import write_predictions
from graphkit.store import GraphStore
from ml.registry import ModelRecord, ensure_registered, weights_sha256

UPLOADS = "uploads"  # under the data directory
SUFFIX_OF_FORMAT = {"JPEG": ".jpg", "TIFF": ".tif"}  # the others: the format's own name


@dataclass(frozen=True)
class Upload:
    data: bytes
    image: Image.Image  # decoded, RGB, at the size the models need (see api.views.predict)
    name: str  # the client's file name (checked text), for messages and the title only
    format: str  # what PIL decoded it as (JPEG, PNG, ...)
    size: tuple[int, int]  # the file's own width and height

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def node_id(self) -> str:
        return f"upload:{self.sha256}"


def stored_path(upload: Upload, settings: ApiSettings) -> Path:
    """Where UPLOAD is kept, written there once (the same bytes are the same file)."""
    suffix = SUFFIX_OF_FORMAT.get(upload.format, f".{upload.format.lower()}")
    if suffix not in IMAGE_SUFFIXES:
        raise Unprocessable(
            f"{upload.name}: a {upload.format} image can be scored but not stored; send "
            "JPEG, PNG, WebP, GIF, TIFF or BMP to keep it",
            code="bad_image",
        )
    folder = settings.graph.data_dir / UPLOADS
    path = (folder / f"{upload.sha256}{suffix}").resolve()
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as handle:
            part = Path(handle.name)
            try:
                handle.write(upload.data)
            except OSError:
                part.unlink(missing_ok=True)  # a full disk leaves no half file behind
                raise
        os.replace(part, path)
    return path


def scored(
    store: GraphStore, upload: Upload, cache: ModelCache
) -> list[tuple[ModelRecord, dict[str, Any]]]:
    """(registry record, prediction row) of each model in the models directory."""
    image = {"id": upload.node_id, "image_sha256": upload.sha256, "crop": None}
    model_dirs = cache.model_dirs()
    rows = []
    for model_dir, record in zip(model_dirs, ensure_registered(store, model_dirs), strict=True):
        scorer = cache.scorer(model_dir)
        if weights_sha256(scorer.meta) != record.sha256:
            raise ModelError(
                f"{model_dir.name}: its files changed since this server loaded them "
                f"(registered: {record.label()}); restart the server to load them"
            )
        probabilities = scorer.score([upload.image])[0]
        rows.append(
            (
                record,
                prediction_row(
                    image,
                    scorer.classes,
                    probabilities,
                    record.sha256,
                    record.task,
                    scorer.uncertain_below,
                ),
            )
        )
    return rows


def save_upload(
    store: GraphStore, upload: Upload, settings: ApiSettings, cache: ModelCache
) -> dict[str, Any]:
    """Store UPLOAD, its Artwork node and each model's prediction; says what was written. The
    models score it first: a model that cannot be used (503) leaves nothing stored."""
    predictions = scored(store, upload, cache)
    path = stored_path(upload, settings)
    row = {
        "id": upload.node_id,
        "title": Path(upload.name).stem[:200] or upload.sha256[:12],
        "image_path": str(path),
        "image_sha256": upload.sha256,
        "image_width": upload.size[0],
        "image_height": upload.size[1],
    }
    node = store.write("api/save_upload", row=row).rows[0]
    written = []
    for record, prediction in predictions:
        counts = write_predictions(store, record.id, [prediction])
        written.append(
            {
                "model": record.name,
                "version": record.version,
                "prediction": prediction["id"],
                "label": prediction["label"],
                "score": round(prediction["score"], 4),
                "created": counts.created == 1,
            }
        )
    return {"artwork_id": node["id"], "created": bool(node["created"]), "predictions": written}
