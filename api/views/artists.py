"""/api/artists: the list, and one artist with the neighbourhood the artist page draws."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.cards import with_images
from api.errors import NotFound
from api.views.artworks import artwork_cards

bp = Blueprint("artists", __name__)

WORKS_SHOWN = 24


@bp.get("/api/artists")
def list_artists() -> Response:
    page = params.page()
    filters = {"q": params.lowered("q"), "movement": params.text("movement")}
    return jsonify(db.page_rows("api/artists", page, **filters))


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


ARTIST_ROW = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "birth_year": doc.nullable(doc.INTEGER),
        "death_year": doc.nullable(doc.INTEGER),
        "pagerank": doc.nullable(doc.NUMBER),
        "movements": doc.array(doc.REF),
    }
)
ARTIST = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "birth_year": doc.nullable(doc.INTEGER),
        "death_year": doc.nullable(doc.INTEGER),
        "gender": doc.nullable(doc.STRING),
        "aliases": doc.nullable(doc.array(doc.STRING)),
        "sources": doc.nullable(doc.array(doc.STRING)),
        "pagerank": doc.nullable(doc.NUMBER),
        "community": doc.nullable(doc.INTEGER),
        "work_count": doc.INTEGER,
        "movements": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "name": doc.nullable(doc.STRING),
                    "derived": doc.nullable(doc.BOOLEAN),
                }
            )
        ),
        "born_in": doc.array(doc.REF),
        "died_in": doc.array(doc.REF),
        "teachers": doc.array(doc.REF),
        "students": doc.array(doc.REF),
        "academies": doc.array(doc.REF),
        "specializations": doc.array(doc.STRING),
        "generated": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "tile": doc.nullable(doc.INTEGER),
                    "image_url": doc.URL,
                    "thumbnail_url": doc.URL,
                }
            )
        ),
        "works": doc.array({"type": "object"}),
    }
)
PATHS = {
    "/api/artists": doc.get(
        "Artists by name, filtered and paged",
        doc.page_of(ARTIST_ROW),
        parameters=[
            doc.query_text("q", "text in the artist's name"),
            doc.query_text("movement", "a Movement id the artist is a member of"),
            *doc.PAGE_PARAMS,
        ],
    ),
    "/api/artists/{id}": doc.get(
        "One artist: movements, places, teachers and students, academies, works",
        ARTIST,
        parameters=[doc.path_id("artist")],
        errors={"404": "no artist with this id"},
    ),
}
