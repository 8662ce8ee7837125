"""POST /api/reviews: a person's decision about an artwork or generated image, recorded by
graphkit.predictions.reviews (what `graphkit review ID LABEL` does); GET /api/reviews/queue:
what to review next (what `graphkit review queue` lists)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.auth import SECURITY, requires_token
from api.bodies import checked_fields
from api.errors import NotFound, Unprocessable
from api.predictions import prediction_cards
from api.views.predictions import PREDICTION_ITEM
from graphkit.errors import ReviewError
from graphkit.predictions.curator import uncertain
from graphkit.predictions.reviews import record_review
from graphkit.store import GraphStore

bp = Blueprint("reviews", __name__)

API_REVIEWER = "api"  # who decided, when the body does not say (the server's user means nothing)
MAX_QUEUE = 100
# The body's fields: (required, most characters).
FIELDS = {"node_id": (True, 500), "label": (True, 200), "note": (False, 2000), "by": (False, 200)}


def review_body() -> dict[str, str | None]:
    """The JSON object sent, checked: 400 naming what is wrong."""
    return checked_fields('{"node_id": ..., "label": ..., "note"?, "by"?}', FIELDS)


@bp.post("/api/reviews")
@requires_token
def post_review() -> tuple[Response, int]:
    body = review_body()
    node_id, label = str(body["node_id"]), str(body["label"])

    def record(store: GraphStore) -> list[dict[str, Any]]:
        if not store.read("api/imaged_node", id=node_id).rows:
            raise NotFound(f"no artwork or generated image with id {node_id!r}")
        try:
            return record_review(
                store, node_id, label, note=body["note"], by=body["by"] or API_REVIEWER
            )
        except ReviewError as exc:  # no prediction to review, or a label no model knows
            raise Unprocessable(str(exc), code="not_reviewable") from exc

    rows = db.with_store(record)
    verdicts = [
        {key: row[key] for key in ("prediction", "model", "predicted", "verdict")} for row in rows
    ]
    review = rows[0]["review"] if rows else None
    return jsonify(
        {"review": review, "node_id": node_id, "label": label, "verdicts": verdicts}
    ), 201


@bp.get("/api/reviews/queue")
def queue() -> Response:
    """The most uncertain current predictions that no review has decided yet."""
    limit = params.integer("limit", 20, minimum=1, maximum=MAX_QUEUE)
    model = params.text("model")
    assert limit is not None
    rows = db.with_store(lambda store: uncertain(store, model, limit, unreviewed=True))
    return jsonify({"items": prediction_cards([row["prediction"] for row in rows])})


REVIEW_BODY = {
    **doc.obj(
        {
            "node_id": {"type": "string", "minLength": 1, "maxLength": 500},
            "label": {"type": "string", "minLength": 1, "maxLength": 200},
            "note": {"type": "string", "maxLength": 2000},
            "by": {"type": "string", "minLength": 1, "maxLength": 200},
        },
        optional=("note", "by"),
    ),
    "additionalProperties": False,
}
RECORDED = doc.obj(
    {
        "review": doc.nullable(doc.STRING),
        "node_id": doc.STRING,
        "label": doc.STRING,
        "verdicts": doc.array(
            doc.obj(
                {
                    "prediction": doc.STRING,
                    "model": doc.STRING,
                    "predicted": doc.STRING,
                    "verdict": {"type": "string", "enum": ["confirms", "corrects"]},
                }
            )
        ),
    }
)
PATHS = {
    "/api/reviews": {
        "post": {
            "summary": "Record a person's decision (a label) about an artwork or generated "
            "image: it confirms or corrects each current prediction whose model knows the label",
            "security": SECURITY,
            "requestBody": {"required": True, "content": doc.json_content(REVIEW_BODY)},
            "responses": {
                "201": {"description": "recorded", "content": doc.json_content(RECORDED)},
                "400": doc.error("not a JSON object, or a field missing, empty or too long"),
                "401": doc.error("no token, or the wrong one"),
                "404": doc.error("no artwork or generated image with this id"),
                "422": doc.error("nothing scored to review, or a label no model there knows"),
                "503": doc.error("the graph database is unavailable"),
            },
        }
    },
    "/api/reviews/queue": doc.get(
        "What to review next: the most uncertain current predictions no review decided yet",
        doc.obj({"items": doc.array(PREDICTION_ITEM)}),
        parameters=[
            doc.query_int("limit", "how many (default 20)", minimum=1, maximum=MAX_QUEUE),
            doc.query_text("model", "one model name"),
        ],
    ),
}
