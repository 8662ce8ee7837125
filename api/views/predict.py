"""POST /api/predict: an uploaded image (multipart field `image`) scored by every trained
detector (P(AI-generated)) and by the movement classifier (top 5), with a Grad-CAM overlay
when `explain=true`; with `write=true` (token) the image and its predictions are also kept in
the graph (api/uploads.py).

The upload is bounded before it is read (GRAPHKIT_MAX_UPLOAD_MB: 413) and its pixel count is
checked from the header before decoding (GRAPHKIT_MAX_IMAGE_PIXELS: 422); it is opened by
ml.images, the same safe opener as every other image in the project, with only the upload
formats' decoders allowed and decoded at the size the models need (its shorter side at least
SCORED_PX; the file kept with write=true is the one sent). A worker scores at most
GRAPHKIT_MAX_PREDICTIONS uploads at once; another gets 429 with Retry-After.
"""

from __future__ import annotations

import base64
import contextlib
import tempfile
import threading
from collections.abc import Iterator
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
from api.errors import BadRequest, TooManyRequests, Unprocessable, UnsupportedMediaType
from api.guard import check_text
from api.models import ml_installed, models
from api.uploads import Upload, save_upload
from graphkit.errors import ImageError
from ml.images import UPLOAD_FORMATS, open_image

bp = Blueprint("predict", __name__)

FIELD = "image"
TOP = 5
OVERLAY_PX = 1024
# Every model sees at most a 256 px square and the overlay is at most OVERLAY_PX a side: an
# upload is decoded with its shorter side no smaller than this, and no larger than twice it.
SCORED_PX = OVERLAY_PX
RETRY_AFTER_S = 2
MAX_NAME = 255
SLOTS = "graphkit_prediction_slots"
_gradcam_lock = threading.Lock()  # backward passes on one shared model, one at a time


@contextlib.contextmanager
def prediction_slot() -> Iterator[None]:
    """One of this worker's GRAPHKIT_MAX_PREDICTIONS scoring slots, or 429 when all are taken
    (decoding and scoring take memory and cores; a queue would only hide the overload)."""
    settings: ApiSettings = current_app.config["GRAPHKIT"]
    slots = current_app.extensions.setdefault(
        SLOTS, threading.BoundedSemaphore(settings.max_predictions)
    )
    if not slots.acquire(blocking=False):
        raise TooManyRequests(
            f"this server is scoring {settings.max_predictions} uploads already; "
            f"try again in {RETRY_AFTER_S} s",
            retry_after_s=RETRY_AFTER_S,
        )
    try:
        yield
    finally:
        slots.release()


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
    name = Path(upload.filename or "upload").name or "upload"
    check_text("the upload's file name", name, MAX_NAME)
    data = upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise RequestEntityTooLarge()
    if not data:
        raise Unprocessable(f"{name}: empty file", code="bad_image")
    # ml.images opens files: the upload goes to a private temporary file first (named by us:
    # PIL finds the format from the bytes, never from the client's name).
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        handle.write(data)
        handle.flush()
        try:
            image = open_image(
                handle.name,
                max_pixels=settings.max_image_pixels,
                formats=UPLOAD_FORMATS,
                max_side=SCORED_PX,
            )
            with Image.open(handle.name, formats=UPLOAD_FORMATS) as header:
                decoded_as, size = header.format or "unknown", header.size
        except ImageError as exc:
            raise Unprocessable(str(exc).replace(handle.name, name), code="bad_image") from exc
    return Upload(data, image, name, decoded_as, size)


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
    """The models' answers about IMAGE (as decoded for scoring)."""
    cache = models()
    detectors = cache.detectors()
    movement = cache.movement()
    scores = [
        {"detector": d.name, "p_ai": round(float(d.score_images([image])[0]), 4)} for d in detectors
    ]
    logits, _ = movement.run_pixels(movement.pixels([image]))
    top = movement.top(logits, k=min(TOP, len(movement.classes)))[0]
    result: dict[str, Any] = {
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
    with prediction_slot():
        upload = uploaded_image()
        result = predict_image(upload.image, explain=explain)
        width, height = upload.size
        body = {"file": upload.name, "width": width, "height": height, **result}
        if write:
            settings, cache = current_app.config["GRAPHKIT"], models()
            body["written"] = db.with_store(
                lambda store: save_upload(store, upload, settings, cache)
            )
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
                "422": doc.error(
                    "empty, truncated, corrupt, not JPEG, PNG, WebP, GIF, BMP or TIFF, "
                    "or too many pixels"
                ),
                "429": doc.error("this worker is scoring as many uploads as it may; retry"),
                "503": doc.error("no trained model to score with, or the graph unavailable"),
            },
        }
    }
}
