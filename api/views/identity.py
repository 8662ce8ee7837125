"""GET /api/identity/queue: the pairs of Artist nodes that may be one person, both records side
by side (what `graphkit identity queue` lists); POST /api/identity/decisions: a curator's
'same' (merge) or 'different' (separate), recorded and applied by graphkit.identity_review
(what `graphkit identity merge|separate` does)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.auth import SECURITY, requires_token
from api.bodies import checked_fields
from api.cards import with_images
from api.errors import BadRequest, NotFound, Unprocessable
from graphkit.identity_review import VERDICTS, IdentityError, decide, review_queue
from graphkit.store import GraphStore

bp = Blueprint("identity", __name__)

API_CURATOR = "api"  # who decided, when the body does not say
MAX_QUEUE = 100
# The body's fields: (required, most characters).
FIELDS = {
    "one": (True, 500),
    "other": (True, 500),
    "verdict": (True, 20),
    "note": (False, 2000),
    "by": (False, 200),
}


@bp.get("/api/identity/queue")
def queue() -> Response:
    limit = params.integer("limit", 20, minimum=1, maximum=MAX_QUEUE)
    assert limit is not None
    rows = db.with_store(lambda store: review_queue(store, limit))
    for row in rows:  # stored file paths become /media URLs
        for side in ("one_shown", "other_shown"):
            row[side] = with_images(row[side] or [])
    return jsonify({"items": rows})


@bp.post("/api/identity/decisions")
@requires_token
def post_decision() -> tuple[Response, int]:
    body = checked_fields(
        '{"one": ..., "other": ..., "verdict": "same"|"different", "note"?, "by"?}', FIELDS
    )
    verdict = str(body["verdict"])
    if verdict not in VERDICTS:
        raise BadRequest(f"verdict must be one of {', '.join(VERDICTS)}")
    one, other = str(body["one"]), str(body["other"])
    if one == other:
        raise Unprocessable(f"{one} cannot be decided about with itself", code="same_node")

    def record(store: GraphStore) -> dict[str, Any]:
        try:
            return decide(store, one, other, verdict, body["by"] or API_CURATOR, body["note"])
        except IdentityError as exc:  # an unknown node
            raise NotFound(str(exc)) from exc

    return jsonify(db.with_store(record)), 201


SIDE = {
    "name": doc.nullable(doc.STRING),
    "birth": doc.nullable(doc.INTEGER),
    "death": doc.nullable(doc.INTEGER),
    "sources": doc.nullable(doc.array(doc.STRING)),
    "born_in": doc.array(doc.STRING),
    "works": doc.INTEGER,
    "shown": doc.array(
        doc.obj(
            {
                "id": doc.STRING,
                "title": doc.nullable(doc.STRING),
                "image_url": doc.URL,
                "thumbnail_url": doc.URL,
            }
        )
    ),
}
PAIR_ITEM = doc.obj(
    {
        "one": doc.STRING,
        **{f"one_{k}": v for k, v in SIDE.items()},
        "other": doc.STRING,
        **{f"other_{k}": v for k, v in SIDE.items()},
        "score": doc.NUMBER,
        "evidence": doc.nullable(doc.array(doc.STRING)),
    }
)
DECISION_BODY = {
    **doc.obj(
        {
            "one": {"type": "string", "minLength": 1, "maxLength": 500},
            "other": {"type": "string", "minLength": 1, "maxLength": 500},
            "verdict": {"type": "string", "enum": list(VERDICTS)},
            "note": {"type": "string", "maxLength": 2000},
            "by": {"type": "string", "minLength": 1, "maxLength": 200},
        },
        optional=("note", "by"),
    ),
    "additionalProperties": False,
}
DECISION = doc.obj(
    {
        "id": doc.STRING,
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "one": doc.STRING,
        "other": doc.STRING,
        "one_source_ids": doc.array(doc.STRING),
        "other_source_ids": doc.array(doc.STRING),
        "who": doc.STRING,
        "at": doc.STRING,
        "note": doc.nullable(doc.STRING),
    }
)
PATHS = {
    "/api/identity/queue": doc.get(
        "Pairs of Artist nodes that may be one person (POSSIBLY_SAME), best score first",
        doc.obj({"items": doc.array(PAIR_ITEM)}),
        parameters=[doc.query_int("limit", "how many (default 20)", minimum=1, maximum=MAX_QUEUE)],
    ),
    "/api/identity/decisions": {
        "post": {
            "summary": "Record a curator's decision on two Artist nodes: 'same' merges the "
            "second into the first, 'different' removes their candidate edge; later loads "
            "never undo it",
            "security": SECURITY,
            "requestBody": {"required": True, "content": doc.json_content(DECISION_BODY)},
            "responses": {
                "201": {
                    "description": "recorded and applied",
                    "content": doc.json_content(DECISION),
                },
                "400": doc.error(
                    "not a JSON object, or a field missing, empty, too long or unknown"
                ),
                "401": doc.error("no token, or the wrong one"),
                "404": doc.error("no Artist with one of these ids"),
                "422": doc.error("a node paired with itself"),
                "503": doc.error("the graph database is unavailable"),
            },
        }
    },
}
