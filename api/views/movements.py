"""/api/movements and /api/places."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.errors import NotFound

bp = Blueprint("movements", __name__)


@bp.get("/api/movements")
def list_movements() -> Response:
    return jsonify({"items": db.rows("api/movements")})


@bp.get("/api/movements/<path:movement_id>")
def get_movement(movement_id: str) -> Response:
    found = db.rows("api/movement", id=movement_id)
    if not found:
        raise NotFound(f"no movement with id {movement_id!r}")
    return jsonify(found[0])


@bp.get("/api/places")
def list_places() -> Response:
    page = params.page()
    filters = {"type": params.text("type"), "q": params.lowered("q")}
    return jsonify(db.page_rows("api/places", page, **filters))


SCORES = {"weighted_degree": doc.nullable(doc.NUMBER), "betweenness": doc.nullable(doc.NUMBER)}
MOVEMENT_ROW = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "era": doc.nullable(doc.STRING),
        "artwork_count": doc.INTEGER,
        "artist_count": doc.INTEGER,
        **SCORES,
    }
)
MOVEMENT = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "description": doc.nullable(doc.STRING),
        "era": doc.nullable(doc.STRING),
        "aliases": doc.nullable(doc.array(doc.STRING)),
        **SCORES,
        "artist_count": doc.INTEGER,
        "artists": doc.array(doc.REF),
        "related": doc.array(
            doc.obj(
                {"id": doc.STRING, "name": doc.nullable(doc.STRING), "shared_artists": doc.INTEGER}
            )
        ),
    }
)
PLACE = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "type": doc.nullable(doc.STRING),
        "artist_count": doc.nullable(doc.INTEGER),
        "located_in": doc.array(doc.REF),
        "born_here": doc.INTEGER,
    }
)
PATHS = {
    "/api/movements": doc.get(
        "Every movement with its artist and artwork counts",
        doc.obj({"items": doc.array(MOVEMENT_ROW)}),
    ),
    "/api/movements/{id}": doc.get(
        "One movement: description, best-ranked artists, related movements",
        MOVEMENT,
        parameters=[doc.path_id("movement")],
        errors={"404": "no movement with this id"},
    ),
    "/api/places": doc.get(
        "Places by name, filtered and paged",
        doc.page_of(PLACE),
        parameters=[
            doc.query_text("type", "only places of this type (country)"),
            doc.query_text("q", "text in the place's name"),
            *doc.PAGE_PARAMS,
        ],
    ),
}
