"""/api/models: the model registry (one Model node per model version) and one version."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify

from api import db
from api import openapi as doc
from api.errors import NotFound

bp = Blueprint("models", __name__)

JSON_FIELDS = ("metrics", "weights")  # stored as JSON text: neither engine has maps


def registry() -> list[dict[str, Any]]:
    """Every version, by name and version, each marked `current` when it is the latest of its
    name (the one `graphkit predict NAME` and `sync` use). The server's paths stay hidden."""
    rows = db.rows("models/list_models", model=None)
    latest = {row["name"]: row["version"] for row in rows}  # rows come oldest version first
    models = []
    for row in rows:
        model = {key: value for key, value in row.items() if key != "path"}
        for key in JSON_FIELDS:
            model[key] = json.loads(model[key]) if model[key] else None
        model["current"] = row["version"] == latest[row["name"]]
        models.append(model)
    return models


@bp.get("/api/models")
def list_models() -> Response:
    return jsonify({"items": registry()})


@bp.get("/api/models/<path:model_id>")
def get_model(model_id: str) -> Response:
    """One version by its id, or a model's latest version by its name."""
    models = registry()
    found = [m for m in models if m["id"] == model_id] or [
        m for m in models if m["name"] == model_id and m["current"]
    ]
    if not found:
        raise NotFound(f"no model with id or name {model_id!r}")
    return jsonify(found[0])


MODEL = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.STRING,
        "version": doc.INTEGER,
        "current": doc.BOOLEAN,
        "task": doc.STRING,
        "kind": doc.STRING,
        "classes": doc.nullable(doc.array(doc.STRING)),
        "metrics": doc.nullable({"type": "object"}),
        "weights": doc.nullable({"type": "object"}),
        "sha256": doc.STRING,
        "trained_at": doc.nullable(doc.STRING),
        "registered_at": doc.nullable(doc.INTEGER),
        "code_version": doc.nullable(doc.STRING),
        "dataset_id": doc.nullable(doc.STRING),
        "dataset": doc.nullable(doc.STRING),
        "current_predictions": doc.INTEGER,
    }
)
PATHS = {
    "/api/models": doc.get(
        "The model registry: every version of every model, `current` the latest of its name",
        doc.obj({"items": doc.array(MODEL)}),
    ),
    "/api/models/{id}": doc.get(
        "One model version by id, or a model's latest version by name",
        MODEL,
        parameters=[doc.path_id("model")],
        errors={"404": "no model with this id or name"},
    ),
}
