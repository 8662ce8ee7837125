"""/api/stats, /api/datasets and /api/health."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify

from api import db
from api.models import models
from api.openapi import BOOLEAN, INTEGER, STRING, array, get, json_content, nullable, obj
from graphkit.errors import GraphUnavailable

bp = Blueprint("system", __name__)


@bp.get("/api/stats")
def stats() -> Response:
    labels = {r["label"]: r["count"] for r in db.rows("stats/label_counts")}
    relationships = {r["type"]: r["count"] for r in db.rows("stats/relationship_counts")}
    return jsonify({"labels": labels, "relationships": relationships})


def _dataset(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    # FalkorDB properties cannot hold maps: the counts are stored as JSON text.
    for key in ("counts_json", "split_counts_json"):
        text = out.pop(key)
        out[key.removesuffix("_json")] = json.loads(text) if text else None
    return out


@bp.get("/api/datasets")
def datasets() -> Response:
    return jsonify({"items": [_dataset(row) for row in db.rows("api/datasets")]})


@bp.get("/api/health")
def health() -> Response:
    """200 when the graph answers, 503 when it does not; the model files are reported either
    way (a missing or changed model makes /api/predict answer 503, not the whole API)."""
    graph: dict[str, Any] = {"engine": db.holder().settings.graph.describe()}
    try:
        db.read("api/ping")
        graph["reachable"] = True
    except GraphUnavailable as exc:
        graph.update(reachable=False, problem=str(exc))
    checked = models().model_files()
    body = {
        "status": "ok" if graph["reachable"] else "unavailable",
        "graph": graph,
        "models": checked,
        "models_ok": all(entry["ok"] for entry in checked),
    }
    response = jsonify(body)
    response.status_code = 200 if graph["reachable"] else 503
    return response


COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
DATASET = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "label_via": nullable(STRING),
        "classes": nullable(array(STRING)),
        "counts": nullable({"type": "object"}),
        "split_counts": nullable({"type": "object"}),
        "size": nullable(INTEGER),
        "query_hash": nullable(STRING),
        "manifest_sha256": nullable(STRING),
        "created_at": nullable(INTEGER),
    }
)
MODEL_CHECK = obj(
    {
        "name": STRING,
        "present": BOOLEAN,
        "ok": BOOLEAN,
        "task": STRING,
        "kind": STRING,
        "problem": STRING,
    },
    optional=("task", "kind", "problem"),
)
HEALTH = obj(
    {
        "status": {"type": "string", "enum": ["ok", "unavailable"]},
        "graph": obj(
            {"engine": STRING, "reachable": BOOLEAN, "problem": STRING}, optional=("problem",)
        ),
        "models": array(MODEL_CHECK),
        "models_ok": BOOLEAN,
    }
)
PATHS = {
    "/api/stats": get(
        "Nodes per label and relationships per type",
        obj({"labels": COUNTS, "relationships": COUNTS}),
    ),
    "/api/datasets": get(
        "The datasets built from the graph (`graphkit dataset build`)",
        obj({"items": array(DATASET)}),
    ),
    "/api/health": {
        "get": {
            "summary": "Whether the graph answers, and whether each model's files match "
            "their recorded sha256",
            "responses": {
                "200": {"description": "the graph answers", "content": json_content(HEALTH)},
                "503": {"description": "the graph does not", "content": json_content(HEALTH)},
            },
        }
    },
}
