"""POST /api/predict: an uploaded image (multipart field `image`) scored by every trained
detector (P(AI-generated)) and by the movement classifier (top 5), with a Grad-CAM overlay
when `explain=true`; with `write=true` (token) the image and its predictions are also kept in
the graph (api/uploads.py).

The upload is bounded before it is read (GRAPHKIT_MAX_UPLOAD_MB: 413) and its pixel count is
checked from the header before decoding (GRAPHKIT_MAX_IMAGE_PIXELS: 422); it is opened by
ml.images, the same safe opener as every other image in the project.
"""

from __future__ import annotations

import base64
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
from flask import Blueprint, Response, current_app, jsonify, request
from PIL import Image
from werkzeug.exceptions import RequestEntityTooLarge

from api import db, params
from api import openapi as doc
from api.auth import SECURITY, check_token
from api.config import ApiSettings
from api.errors import BadRequest, Unprocessable, UnsupportedMediaType
from api.models import ml_installed, models
from api.uploads import Upload, save_upload
from graphkit.errors import ImageError
from ml.images import open_image

bp = Blueprint("predict", __name__)

FIELD = "image"
TOP = 5
OVERLAY_PX = 1024
_gradcam_lock = threading.Lock()  # backward passes on one shared model, one at a time


def uploaded_image() -> Upload:
    """The upload, decoded; 415, 400, 413 or 422 naming what is wrong."""
    settings: ApiSettings = current_app.config["GRAPHKIT"]
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            f"send the image as multipart/form-data in the field {FIELD!r}, "
            f"not as {request.mimetype or 'no content type'}"
        )
    upload = request.files.get(FIELD)
    if upload is None:
        raise BadRequest(f"no file in the multipart field {FIELD!r}")
    unknown = sorted((set(request.files) | set(request.form)) - {FIELD})
    if unknown:
        raise BadRequest(f"unknown multipart fields {unknown[:5]}: send only {FIELD!r}")
    name = Path(upload.filename or "upload").name
    data = upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise RequestEntityTooLarge()
    if not data:
        raise Unprocessable(f"{name}: empty file", code="bad_image")
    # ml.images opens files: the upload goes to a private temporary file first.
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix[:10]) as handle:
        handle.write(data)
        handle.flush()
        try:
            image = open_image(handle.name, max_pixels=settings.max_image_pixels)
            with Image.open(handle.name) as header:  # decoded already: the format only
                decoded_as = header.format or "unknown"
        except ImageError as exc:
            raise Unprocessable(str(exc).replace(handle.name, name), code="bad_image") from exc
    return Upload(data, image, name, decoded_as)


def heatmap_png(image: Image.Image) -> dict[str, Any]:
    """Grad-CAM over the movement model's last feature map, blended over the image, as a
    PNG data URL, and the movement it explains. The model sees a 224 px square either way:
    the overlay is made at most OVERLAY_PX a side, so a large upload gives a small answer."""
    with ml_installed():
        from ml.movement.gradcam import gradcam, overlay_png

    image = image.copy()
    image.thumbnail((OVERLAY_PX, OVERLAY_PX))
    cache = models()
    torch_model = cache.movement_torch()
    meta = cache.movement().meta
    with _gradcam_lock:
        heat, index = gradcam(torch_model, meta.kind, image)
    with tempfile.TemporaryDirectory() as scratch:
        png = overlay_png(image, heat, Path(scratch) / "gradcam.png").read_bytes()
    return {
        "movement": meta.classes[index],
        "overlay": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
    }


def predict_image(image: Image.Image, *, explain: bool) -> dict[str, Any]:
    cache = models()
    detectors = cache.detectors()
    movement = cache.movement()
    scores = [
        {"detector": d.name, "p_ai": round(float(d.score_images([image])[0]), 4)} for d in detectors
    ]
    logits, _ = movement.run_pixels(movement.pixels([image]))
    top = movement.top(logits, k=min(TOP, len(movement.classes)))[0]
    result: dict[str, Any] = {
        "width": image.width,
        "height": image.height,
        "detectors": scores,
        # The default detector's (the ensemble's) when it is there, else the detectors' mean.
        "p_ai": next(
            (s["p_ai"] for s in scores if s["detector"] == "detector"),
            round(sum(s["p_ai"] for s in scores) / len(scores), 4),
        ),
        "movements": [{"movement": m, "probability": round(p, 4)} for m, p in top],
        # The top score is under the threshold chosen on validation artists: not a movement.
        "movement_uncertain": bool(movement.is_uncertain(np.array([[top[0][1]]]))[0]),
    }
    if explain:
        result["explanation"] = heatmap_png(image)
    return result


@bp.post("/api/predict")
def predict() -> Response:
    explain = bool(params.boolean("explain"))
    write = bool(params.boolean("write"))
    if write:
        check_token()  # before the upload is read: a refused write stores nothing
    upload = uploaded_image()
    result = predict_image(upload.image, explain=explain)
    body = {"file": upload.name, **result}
    if write:
        settings, cache = current_app.config["GRAPHKIT"], models()
        body["written"] = db.with_store(lambda store: save_upload(store, upload, settings, cache))
    return jsonify(body)


PREDICTION = doc.obj(
    {
        "file": doc.STRING,
        "width": doc.INTEGER,
        "height": doc.INTEGER,
        "detectors": doc.array(doc.obj({"detector": doc.STRING, "p_ai": doc.NUMBER})),
        "p_ai": doc.NUMBER,
        "movements": doc.array(doc.obj({"movement": doc.STRING, "probability": doc.NUMBER})),
        "movement_uncertain": doc.BOOLEAN,
        "explanation": doc.obj({"movement": doc.STRING, "overlay": doc.STRING}),
        "written": doc.obj(
            {
                "artwork_id": doc.STRING,
                "created": doc.BOOLEAN,
                "predictions": doc.array(
                    doc.obj(
                        {
                            "model": doc.STRING,
                            "version": doc.INTEGER,
                            "prediction": doc.STRING,
                            "label": doc.STRING,
                            "score": doc.NUMBER,
                            "created": doc.BOOLEAN,
                        }
                    )
                ),
            }
        ),
    },
    optional=("explanation", "written"),
)
UPLOAD = {**doc.obj({FIELD: {"type": "string", "format": "binary"}}), "additionalProperties": False}
PATHS = {
    "/api/predict": {
        "post": {
            "summary": "Score an uploaded image: P(AI-generated) per detector, top-5 movements; "
            "with write=true (token) also keep the image as an Artwork with its predictions",
            # The token is needed only with write=true.
            "security": [{}, *SECURITY],
            "parameters": [
                {
                    "name": "explain",
                    "in": "query",
                    "description": "add a Grad-CAM overlay (PNG data URL)",
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
                {
                    "name": "write",
                    "in": "query",
                    "description": "also store the image (DATA_DIR/uploads) as an Artwork "
                    "'upload:<sha256>' and each registered model's prediction about it (token)",
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": UPLOAD,
                        "encoding": {FIELD: {"contentType": "image/png, image/jpeg, image/webp"}},
                    }
                },
            },
            "responses": {
                "200": {"description": "the scores", "content": doc.json_content(PREDICTION)},
                "400": doc.error("no file in the field `image`, or a malformed parameter"),
                "401": doc.error("write=true without the right token"),
                "413": doc.error("the upload is over the size limit"),
                "415": doc.error("the body is not multipart/form-data"),
                "422": doc.error("empty, truncated, corrupt, non-image or too many pixels"),
                "503": doc.error("no trained model to score with, or the graph unavailable"),
            },
        }
    }
}
