"""/api/predictions: the current predictions, filtered and paged, through the curator queries
of graphkit.predictions.curator: the plain list (`current`, by node), the most uncertain
first (`uncertain`), or the movement predictions that contradict the artist's known
movements (`disagreements`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.predictions import known_label, prediction_cards
from api.views.artworks import PREDICTION
from graphkit.predictions import curator
from graphkit.store import GraphStore

bp = Blueprint("predictions", __name__)

SCORE = {"minimum": 0.0, "maximum": 1.0}


@bp.get("/api/predictions")
def list_predictions() -> Response:
    page = params.page()
    model, label = params.text("model"), params.text("label")
    score_min = params.number("score_min", **SCORE)
    score_max = params.number("score_max", **SCORE)
    unreviewed, uncertain = bool(params.boolean("unreviewed")), bool(params.boolean("uncertain"))
    disagreement = bool(params.boolean("disagreement"))
    filters = curator.Filters(known_label(label), score_min, score_max, unreviewed, page.offset)

    def listing(store: GraphStore) -> list[dict[str, Any]]:
        """One page (plus one row, to tell whether more follow) of the query asked for."""
        limit = page.limit + 1
        if disagreement:
            return curator.disagreements(store, model, limit, filters, by_margin=uncertain)
        if uncertain:
            return curator.uncertain(store, model, limit, filters=filters)
        return curator.current(store, None, model, limit, filters)

    rows = db.with_store(listing)
    body = page.envelope(rows)
    known = {row["prediction"]: row for row in rows}
    items = prediction_cards([row["prediction"] for row in body["items"]])
    for item in items:
        row = known[item["id"]]
        if "known_movements" in row:  # a disagreement: what the record says instead
            item["artist"] = {"id": row["artist_id"], "name": row["artist"]}
            item["known_movements"] = row["known_movements"]
    body["items"] = items
    return jsonify(body)


PREDICTION_ITEM = doc.obj(
    {
        **PREDICTION["properties"],
        "current": doc.BOOLEAN,
        "node_id": doc.STRING,
        "kind": doc.STRING,
        "title": doc.nullable(doc.STRING),
        "tile": doc.nullable(doc.INTEGER),
        "image_url": doc.URL,
        "thumbnail_url": doc.URL,
        "reviews": doc.array(doc.STRING),
        "predictions": doc.array(
            doc.obj(
                {
                    "model": doc.STRING,
                    "task": doc.STRING,
                    "label": doc.STRING,
                    "score": doc.NUMBER,
                }
            )
        ),
        "artist": doc.REF,
        "known_movements": doc.array(doc.STRING),
    },
    optional=("p_ai", "artist", "known_movements"),
)
PATHS = {
    "/api/predictions": doc.get(
        "Current predictions, filtered and paged: by node and model, the most uncertain "
        "first (`uncertain`), or only where a movement prediction contradicts the record "
        "(`disagreement`, most confident first; least sure first with `uncertain`)",
        doc.page_of(PREDICTION_ITEM),
        parameters=[
            doc.query_text("model", "a model name (e.g. detector-svm-dct)"),
            doc.query_text("label", "the predicted label (`ai`, `human`, a movement); any case"),
            doc.query_number("score_min", "lowest score (0..1)", **SCORE),
            doc.query_number("score_max", "highest score (0..1)", **SCORE),
            doc.query_bool("disagreement", "only movement predictions against the record"),
            doc.query_bool("uncertain", "the smallest margins first"),
            doc.query_bool("unreviewed", "leave out what a review already decided"),
            *doc.PAGE_PARAMS,
        ],
    ),
}
