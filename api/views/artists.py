"""/api/artists: the list, and one artist with the neighbourhood the artist page draws."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api.cards import with_images
from api.errors import NotFound
from api.openapi import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    PAGE_PARAMS,
    REF,
    STRING,
    URL,
    array,
    get,
    nullable,
    obj,
    page_of,
    path_id,
    query_text,
)
from api.views.artworks import artwork_cards

bp = Blueprint("artists", __name__)

WORKS_SHOWN = 24


@bp.get("/api/artists")
def list_artists() -> Response:
    q = params.text("q")
    page = params.page()
    found = db.rows(
        "api/artists",
        q=q.lower() if q else None,
        movement=params.text("movement"),
        offset=page.offset,
        limit=page.limit + 1,
    )
    return jsonify(page.envelope(found))


@bp.get("/api/artists/<path:artist_id>")
def get_artist(artist_id: str) -> Response:
    found = db.rows("api/artist", id=artist_id)
    if not found:
        raise NotFound(f"no artist with id {artist_id!r}")
    artist = found[0]
    artist["generated"] = with_images(artist["generated"], "path")
    works = db.rows(
        "api/artwork_ids_by_artist",
        artist=artist_id,
        movement=None,
        has_image=None,
        year_from=None,
        year_to=None,
        offset=0,
        limit=WORKS_SHOWN,
    )
    artist["works"] = artwork_cards([row["id"] for row in works])
    return jsonify(artist)


ARTIST_ROW = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "birth_year": nullable(INTEGER),
        "death_year": nullable(INTEGER),
        "pagerank": nullable(NUMBER),
        "movements": array(REF),
    }
)
ARTIST = obj(
    {
        "id": STRING,
        "name": nullable(STRING),
        "birth_year": nullable(INTEGER),
        "death_year": nullable(INTEGER),
        "gender": nullable(STRING),
        "aliases": nullable(array(STRING)),
        "sources": nullable(array(STRING)),
        "pagerank": nullable(NUMBER),
        "community": nullable(INTEGER),
        "work_count": INTEGER,
        "movements": array(
            obj({"id": STRING, "name": nullable(STRING), "derived": nullable(BOOLEAN)})
        ),
        "born_in": array(REF),
        "died_in": array(REF),
        "teachers": array(REF),
        "students": array(REF),
        "academies": array(REF),
        "specializations": array(STRING),
        "generated": array(
            obj({"id": STRING, "tile": nullable(INTEGER), "image_url": URL, "thumbnail_url": URL})
        ),
        "works": array({"type": "object"}),
    }
)
PATHS = {
    "/api/artists": get(
        "Artists by name, filtered and paged",
        page_of(ARTIST_ROW),
        parameters=[
            query_text("q", "text in the artist's name"),
            query_text("movement", "a Movement id the artist is a member of"),
            *PAGE_PARAMS,
        ],
    ),
    "/api/artists/{id}": get(
        "One artist: movements, places, teachers and students, academies, works",
        ARTIST,
        parameters=[path_id("artist")],
        errors={"404": "no artist with this id"},
    ),
}
