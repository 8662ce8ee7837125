"""/api/analytics/...: the networkx results `graphkit analytics run` wrote onto the graph, and
POST /api/analytics/run (token) to compute and write them again."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api.auth import SECURITY, requires_token
from api.openapi import (
    INTEGER,
    NUMBER,
    STRING,
    array,
    error,
    get,
    json_content,
    nullable,
    obj,
    query_int,
)
from graphkit.store import GraphStore

bp = Blueprint("analytics", __name__)

MAX_ROWS = 500
MAX_MEMBERS = 50


def _limit(default: int) -> int:
    value = params.integer("limit", default, minimum=1, maximum=MAX_ROWS)
    assert value is not None
    return value


@bp.get("/api/analytics/pagerank")
def pagerank() -> Response:
    return jsonify({"items": db.rows("api/pagerank", limit=_limit(25))})


@bp.get("/api/analytics/communities")
def communities() -> Response:
    members = params.integer("members", 5, minimum=0, maximum=MAX_MEMBERS)
    return jsonify({"items": db.rows("api/communities", limit=_limit(20), members=members)})


@bp.get("/api/analytics/movements")
def movement_network() -> Response:
    """Nodes with their scores and the co-membership links (as `analytics run` projects them:
    stated memberships only)."""
    nodes = db.rows("api/movement_network")
    links = db.rows("analytics/movement_edges", include_derived=False)
    return jsonify({"nodes": nodes, "links": links})


@bp.get("/api/analytics/countries")
def countries() -> Response:
    return jsonify({"items": db.rows("api/countries")})


@bp.post("/api/analytics/run")
@requires_token
def run() -> Response:
    from graphkit.analytics.pipeline import run_analytics

    def work(store: GraphStore) -> dict:
        result = run_analytics(store)
        return {"written": result.written, "seconds": result.seconds}

    return jsonify(db.with_store(work))


ARTIST_SCORE = obj(
    {"id": STRING, "name": nullable(STRING), "pagerank": NUMBER, "community": nullable(INTEGER)}
)
COMMUNITY = obj(
    {
        "community": INTEGER,
        "size": INTEGER,
        "members": array(
            obj({"id": STRING, "name": nullable(STRING), "pagerank": nullable(NUMBER)})
        ),
    }
)
NETWORK = obj(
    {
        "nodes": array(
            obj(
                {
                    "id": STRING,
                    "name": nullable(STRING),
                    "weighted_degree": NUMBER,
                    "betweenness": nullable(NUMBER),
                    "member_count": nullable(INTEGER),
                }
            )
        ),
        "links": array(obj({"source": STRING, "target": STRING, "weight": INTEGER})),
    }
)
COUNTRY = obj({"id": STRING, "name": nullable(STRING), "artist_count": INTEGER})
LIMIT = query_int("limit", "how many rows", minimum=1, maximum=MAX_ROWS)
PATHS = {
    "/api/analytics/pagerank": get(
        "Artists by PageRank (apprenticeships and recommendations)",
        obj({"items": array(ARTIST_SCORE)}),
        parameters=[LIMIT],
    ),
    "/api/analytics/communities": get(
        "The largest Louvain communities of artists",
        obj({"items": array(COMMUNITY)}),
        parameters=[
            LIMIT,
            query_int("members", "members shown per community", minimum=0, maximum=MAX_MEMBERS),
        ],
    ),
    "/api/analytics/movements": get("The movement co-membership network", NETWORK),
    "/api/analytics/countries": get(
        "Countries by number of artists born there", obj({"items": array(COUNTRY)})
    ),
    "/api/analytics/run": {
        "post": {
            "summary": "Run the analytics again and write the results back (token)",
            "security": SECURITY,
            "responses": {
                "200": {
                    "description": "written",
                    "content": json_content(
                        obj({"written": {"type": "object"}, "seconds": {"type": "object"}})
                    ),
                },
                "401": error("no token, a wrong token, or writes disabled"),
                "503": error("the graph database is unavailable"),
            },
        }
    },
}
