"""/api/analytics/...: the networkx results `graphkit analytics run` wrote onto the graph, and
POST /api/analytics/run (token) to compute and write them again."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from api import db, params
from api import openapi as doc
from api.auth import SECURITY, requires_token
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


ARTIST_SCORE = doc.obj(
    {
        "id": doc.STRING,
        "name": doc.nullable(doc.STRING),
        "pagerank": doc.NUMBER,
        "community": doc.nullable(doc.INTEGER),
    }
)
COMMUNITY = doc.obj(
    {
        "community": doc.INTEGER,
        "size": doc.INTEGER,
        "members": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "name": doc.nullable(doc.STRING),
                    "pagerank": doc.nullable(doc.NUMBER),
                }
            )
        ),
    }
)
NETWORK = doc.obj(
    {
        "nodes": doc.array(
            doc.obj(
                {
                    "id": doc.STRING,
                    "name": doc.nullable(doc.STRING),
                    "weighted_degree": doc.NUMBER,
                    "betweenness": doc.nullable(doc.NUMBER),
                    "member_count": doc.nullable(doc.INTEGER),
                }
            )
        ),
        "links": doc.array(
            doc.obj({"source": doc.STRING, "target": doc.STRING, "weight": doc.INTEGER})
        ),
    }
)
COUNTRY = doc.obj({"id": doc.STRING, "name": doc.nullable(doc.STRING), "artist_count": doc.INTEGER})
LIMIT = doc.query_int("limit", "how many rows", minimum=1, maximum=MAX_ROWS)
PATHS = {
    "/api/analytics/pagerank": doc.get(
        "Artists by PageRank (apprenticeships and recommendations)",
        doc.obj({"items": doc.array(ARTIST_SCORE)}),
        parameters=[LIMIT],
    ),
    "/api/analytics/communities": doc.get(
        "The largest Louvain communities of artists",
        doc.obj({"items": doc.array(COMMUNITY)}),
        parameters=[
            LIMIT,
            doc.query_int("members", "members shown per community", minimum=0, maximum=MAX_MEMBERS),
        ],
    ),
    "/api/analytics/movements": doc.get("The movement co-membership network", NETWORK),
    "/api/analytics/countries": doc.get(
        "Countries by number of artists born there", doc.obj({"items": doc.array(COUNTRY)})
    ),
    "/api/analytics/run": {
        "post": {
            "summary": "Run the analytics again and write the results back (token)",
            "security": SECURITY,
            "responses": {
                "200": {
                    "description": "written",
                    "content": doc.json_content(
                        doc.obj({"written": {"type": "object"}, "seconds": {"type": "object"}})
                    ),
                },
                "401": doc.error("no token, a wrong token, or writes disabled"),
                "503": doc.error("the graph database is unavailable"),
            },
        }
    },
}
