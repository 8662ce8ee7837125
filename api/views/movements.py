"""/api/movements and /api/places."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api.errors import NotFound
from api.openapi import (
    INTEGER,
    NUMBER,
    PAGE_PARAMS,
    REF,
    STRING,
    array,
    get,
    nullable,
    obj,
    page_of,
    path_id,
    query_text,
)

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
    q = params.text("q")
    page = params.page()
    found = db.rows(
        "api/places",
        type=params.text("type"),
        q=q.lower() if q else None,
        offset=page.offset,
        limit=page.limit + 1,
    )
    return jsonify(page.envelope(found))


SCORES = {"weighted_degree": nullable(NUMBER), "betweenness": nullable(NUMBER)}
MOVEMENT_ROW = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "era": nullable(STRING),
        "artwork_count": INTEGER,
        "artist_count": INTEGER,
        **SCORES,
    }
)
MOVEMENT = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "description": nullable(STRING),
        "era": nullable(STRING),
        "aliases": nullable(array(STRING)),
        **SCORES,
        "artist_count": INTEGER,
        "artists": array(REF),
        "related": array(obj({"id": STRING, "name": nullable(STRING), "shared_artists": INTEGER})),
    }
)
PLACE = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "type": nullable(STRING),
        "artist_count": nullable(INTEGER),
        "located_in": array(REF),
        "born_here": INTEGER,
    }
)
PATHS = {
    "/api/movements": get(
        "Every movement with its artist and artwork counts", obj({"items": array(MOVEMENT_ROW)})
    ),
    "/api/movements/{id}": get(
        "One movement: description, best-ranked artists, related movements",
        MOVEMENT,
        parameters=[path_id("movement")],
        errors={"404": "no movement with this id"},
    ),
    "/api/places": get(
        "Places by name, filtered and paged",
        page_of(PLACE),
        parameters=[
            query_text("type", "only places of this type (country)"),
            query_text("q", "text in the place's name"),
            *PAGE_PARAMS,
        ],
    ),
}
