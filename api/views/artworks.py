"""/api/artworks: the filtered list, one artwork, and the artworks that look like it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.cards import with_image, with_images
from api.errors import NotFound
from api.models import ml_installed
from api.predictions import known_label, newest_first, readable
from api.search import fulltext_query
from graphkit.errors import GraphkitError, GraphUnavailable, QueryError
from graphkit.store import GraphStore

bp = Blueprint("artworks", __name__)

MAX_SIMILAR = 50
MAX_MATCHES = 1000  # per full-text index: bounds the cost of a short, common word
YEAR_RANGE = {"minimum": -5000, "maximum": 3000}


def artwork_ids(filters: dict[str, Any], page: params.Page) -> list[str]:
    """The ids of one page (plus one, to tell whether more follow), from the query that can
    start from an index: the text search, the predicted label's works, the artist's, the
    movement's, or all."""
    paging = {**filters, "offset": page.offset, "limit": page.limit + 1}
    if filters["q"] is not None:
        query = fulltext_query(filters["q"], db.dialect())
        if query is None:  # nothing but punctuation: no word to look for
            return []
        found = db.rows("api/search_artwork_ids", query=query, max_matches=MAX_MATCHES, **paging)
    elif filters["predicted"] is not None:
        found = db.rows("api/artwork_ids_predicted", **paging)
    elif filters["artist"] is not None:
        found = db.rows("api/artwork_ids_by_artist", **paging)
    elif filters["movement"] is not None:
        found = db.rows("api/artwork_ids_in_movement", **paging)
    else:
        found = db.rows("api/artwork_ids", **paging)
    return [row["id"] for row in found]


def artwork_cards(ids: list[str]) -> list[dict[str, Any]]:
    """List cards for IDS, in the order given."""
    if not ids:
        return []
    by_id = {row["id"]: row for row in db.rows("api/artwork_cards", ids=ids)}
    cards = with_images([by_id[i] for i in ids if i in by_id])
    for card in cards:
        card["predictions"] = [readable(p) for p in card["predictions"]]
        for prediction in card["predictions"]:
            prediction.pop("probabilities")  # the badges need the label, score and P(ai)
    return cards


@bp.get("/api/artworks")
def list_artworks() -> Response:
    filters = {
        "q": params.text("q"),
        "movement": params.text("movement"),
        "artist": params.text("artist"),
        "year_from": params.integer("year_from", None, **YEAR_RANGE),
        "year_to": params.integer("year_to", None, **YEAR_RANGE),
        "has_image": params.boolean("has_image"),
        "predicted": known_label(params.text("predicted")),
    }
    page = params.page()
    return jsonify(page.envelope(artwork_cards(artwork_ids(filters, page))))


@bp.get("/api/artworks/<path:artwork_id>")
def get_artwork(artwork_id: str) -> Response:
    found = db.rows("api/artwork", id=artwork_id)
    if not found:
        raise NotFound(f"no artwork with id {artwork_id!r}")
    artwork = with_image(found[0])
    artwork["recommends"] = with_images(artwork["recommends"])
    artwork["predictions"] = newest_first([readable(p) for p in artwork["predictions"]])
    artwork["reviews"] = newest_first(artwork["reviews"])
    return jsonify(artwork)


@bp.get("/api/artworks/<path:artwork_id>/similar")
def similar(artwork_id: str) -> Response:
    """The K nearest artworks by image embedding (the artwork itself left out)."""
    k = params.integer("k", 12, minimum=1, maximum=MAX_SIMILAR)
    assert k is not None

    def nearest(store: GraphStore) -> dict[str, Any]:
        with ml_installed():
            from ml.embeddings.embed import similar_artworks

        try:
            rows = similar_artworks(store, artwork_id, k + 1)
        except (GraphUnavailable, QueryError):
            raise
        except GraphkitError:
            # Unknown, or not embedded yet: tell which (only on this rare path).
            state = store.read("embeddings/artwork_embedding", id=artwork_id).rows
            if not state:
                raise NotFound(f"no artwork with id {artwork_id!r}") from None
            return {"id": artwork_id, "embedded": False, "items": []}
        items = [row for row in rows if row["id"] != artwork_id][:k]
        return {"id": artwork_id, "embedded": True, "items": with_images(items)}

    return jsonify(db.with_store(nearest))


# A current prediction as a card's badge shows it (p_ai: a detector's P(AI-generated)).
BADGE = doc.obj(
    {
        "model": doc.STRING,
        "task": doc.STRING,
        "label": doc.STRING,
        "score": doc.NUMBER,
        "p_ai": doc.nullable(doc.NUMBER),
    },
    optional=("p_ai",),
)
CARD = doc.obj(
    {
        "id": doc.STRING,
        "title": doc.nullable(doc.STRING),
        "year": doc.nullable(doc.INTEGER),
        "image_url": doc.URL,
        "thumbnail_url": doc.URL,
        "artists": doc.array(doc.REF),
        "movements": doc.array(doc.REF),
        "predictions": doc.array(BADGE),
    }
)
PREDICTION = doc.obj(
    {
        "id": doc.STRING,
        "model": doc.STRING,
        "version": doc.INTEGER,
        "task": doc.STRING,
        "label": doc.STRING,
        "score": doc.NUMBER,
        "margin": doc.NUMBER,
        "probabilities": doc.nullable({"type": "object"}),
        "p_ai": doc.nullable(doc.NUMBER),
        "created_at": doc.INTEGER,
    },
    optional=("p_ai",),
)
REVIEW = doc.obj(
    {
        "id": doc.STRING,
        "label": doc.STRING,
        "task": doc.nullable(doc.STRING),
        "note": doc.nullable(doc.STRING),
        "by": doc.nullable(doc.STRING),
        "created_at": doc.INTEGER,
    }
)
ARTWORK = doc.obj(
    {
        "id": doc.STRING,
        "title": doc.nullable(doc.STRING),
        "year": doc.nullable(doc.INTEGER),
        "year_start": doc.nullable(doc.INTEGER),
        "year_end": doc.nullable(doc.INTEGER),
        "date_text": doc.nullable(doc.STRING),
        "medium": doc.nullable(doc.STRING),
        "image_url": doc.URL,
        "thumbnail_url": doc.URL,
        "image_width": doc.nullable(doc.INTEGER),
        "image_height": doc.nullable(doc.INTEGER),
        "sources": doc.nullable(doc.array(doc.STRING)),
        "embedded": doc.BOOLEAN,
        "artists": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "name": doc.nullable(doc.STRING),
                    "role": doc.nullable(doc.STRING),
                    "attribution": doc.nullable(doc.STRING),
                }
            )
        ),
        "movements": doc.array(doc.REF),
        "media": doc.array(doc.STRING),
        "recommends": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "title": doc.nullable(doc.STRING),
                    "image_url": doc.URL,
                    "thumbnail_url": doc.URL,
                }
            )
        ),
        "predictions": doc.array(PREDICTION),
        "reviews": doc.array(REVIEW),
    }
)
SIMILAR = doc.obj(
    {
        "id": doc.STRING,
        "embedded": doc.BOOLEAN,
        "items": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "title": doc.nullable(doc.STRING),
                    "similarity": doc.NUMBER,
                    "image_url": doc.URL,
                    "thumbnail_url": doc.URL,
                    "movements": doc.array(doc.STRING),
                    "artists": doc.array(doc.STRING),
                }
            )
        ),
    }
)
NOT_FOUND = {"404": "no artwork with this id"}
PATHS = {
    "/api/artworks": doc.get(
        "Artworks, filtered and paged (in id order)",
        doc.page_of(CARD),
        parameters=[
            doc.query_text("q", "words in the title or an artist's name (each also as a prefix)"),
            doc.query_text("movement", "a Movement id the artwork is in the style of"),
            doc.query_text("artist", "an Artist id who made it (works with an image first)"),
            doc.query_int("year_from", "earliest year", **YEAR_RANGE),
            doc.query_int("year_to", "latest year", **YEAR_RANGE),
            doc.query_bool("has_image", "only artworks with (true) or without (false) an image"),
            doc.query_text(
                "predicted",
                "a current prediction's label: a detector's `ai` or `human`, a movement model's "
                "class (e.g. Baroque); matched to the models' classes without regard to case",
            ),
            *doc.PAGE_PARAMS,
        ],
    ),
    "/api/artworks/{id}": doc.get(
        "One artwork: artists, movements, media, image, current predictions, reviews",
        ARTWORK,
        parameters=[doc.path_id("artwork")],
        errors=NOT_FOUND,
    ),
    "/api/artworks/{id}/similar": doc.get(
        "The artworks nearest to this one by image embedding (`graphkit embed`)",
        SIMILAR,
        parameters=[
            doc.path_id("artwork"),
            doc.query_int("k", "how many (default 12)", minimum=1, maximum=MAX_SIMILAR),
        ],
        errors=NOT_FOUND,
    ),
}
