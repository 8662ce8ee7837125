"""/api/stats, /api/datasets and /api/health."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify

from api import db
from api import openapi as doc
from api.errors import client_safe
from api.models import models
from graphkit.errors import GraphUnavailable

# What /api/health calls each engine: its kind only, never where it runs.
ENGINE_NAMES = {"embedded": "embedded FalkorDB", "falkordb": "FalkorDB", "neo4j": "Neo4j"}

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


def against_registry(checked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each model directory's entry with the registry version its weights are (`registered`,
    null when none is); weights that are none of the versions registered under the
    directory's name are not ok (`graphkit predict` and write=true refuse them)."""
    rows = db.rows("models/list_models", model=None)
    out = []
    for entry in checked:
        entry = dict(entry)  # the checks are cached: the registry may change under them
        same = [r for r in rows if r["sha256"] == entry.get("sha256")]
        entry["registered"] = (
            {key: same[-1][key] for key in ("id", "name", "version")} if same else None
        )
        named = [r for r in rows if r["name"] == entry["name"]]
        if entry["ok"] and not same and named:
            entry.update(
                ok=False,
                problem=f"its weights are none of the registered versions of {entry['name']} "
                f"(latest v{named[-1]['version']}): register them (graphkit models register)",
            )
        out.append(entry)
    return out


@bp.get("/api/health")
def health() -> Response:
    """200 when the graph answers, 503 when it does not; the model files are reported either
    way (a missing or changed model makes /api/predict answer 503, not the whole API). It is
    public: it names no server path, host or credential (the server's log has those)."""
    kind = db.holder().settings.graph.kind
    graph: dict[str, Any] = {"engine": ENGINE_NAMES.get(kind, kind)}
    try:
        db.read("api/ping")
        graph["reachable"] = True
    except GraphUnavailable as exc:
        graph.update(reachable=False, problem=client_safe(str(exc)))
    checked = [
        {**entry, "problem": client_safe(entry["problem"])} if "problem" in entry else entry
        for entry in models().model_files()
    ]
    if graph["reachable"]:
        checked = against_registry(checked)
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
DATASET = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "label_via": doc.nullable(doc.STRING),
        "classes": doc.nullable(doc.array(doc.STRING)),
        "counts": doc.nullable({"type": "object"}),
        "split_counts": doc.nullable({"type": "object"}),
        "size": doc.nullable(doc.INTEGER),
        "query_hash": doc.nullable(doc.STRING),
        "manifest_sha256": doc.nullable(doc.STRING),
        "created_at": doc.nullable(doc.INTEGER),
    }
)
MODEL_CHECK = doc.obj(
    {
        "name": doc.STRING,
        "present": doc.BOOLEAN,
        "ok": doc.BOOLEAN,
        "task": doc.STRING,
        "kind": doc.STRING,
        "problem": doc.STRING,
        "sha256": doc.STRING,
        "registered": doc.nullable(
            doc.obj({"id": doc.STRING, "name": doc.STRING, "version": doc.INTEGER})
        ),
    },
    optional=("task", "kind", "problem", "sha256", "registered"),
)
HEALTH = doc.obj(
    {
        "status": {"type": "string", "enum": ["ok", "unavailable"]},
        "graph": doc.obj(
            {"engine": doc.STRING, "reachable": doc.BOOLEAN, "problem": doc.STRING},
            optional=("problem",),
        ),
        "models": doc.array(MODEL_CHECK),
        "models_ok": doc.BOOLEAN,
    }
)
PATHS = {
    "/api/stats": doc.get(
        "Nodes per label and relationships per type",
        doc.obj({"labels": COUNTS, "relationships": COUNTS}),
    ),
    "/api/datasets": doc.get(
        "The datasets built from the graph (`graphkit dataset build`)",
        doc.obj({"items": doc.array(DATASET)}),
    ),
    "/api/health": {
        "get": {
            "summary": "Whether the graph answers, and whether each model's files match "
            "their recorded sha256",
            "responses": {
                "200": {"description": "the graph answers", "content": doc.json_content(HEALTH)},
                "503": {"description": "the graph does not", "content": doc.json_content(HEALTH)},
            },
        }
    },
}
