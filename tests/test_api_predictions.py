"""The model registry, the predictions and the `predicted` filter through the API, on both
engines, against a graph the tiny real models scored (tests/review_helpers.py); every answer
is checked against the graph itself."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from graphkit.store import GraphStore
from tests.api_helpers import error_of
from tests.review_helpers import MISFILED_ID

MODEL_NAMES = {
    "detector",
    "detector-svm-dct",
    "detector-backbone",
    "detector-gfnet",
    "movement-efficientnet-lite0",
}


def ok(client: FlaskClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_json())
    return response.get_json()


def every_page(client: FlaskClient, url: str) -> list[dict]:
    """Every item of a paged list, 100 at a time."""
    items: list[dict] = []
    offset: int | None = 0
    while offset is not None:
        page = ok(client, f"{url}{'&' if '?' in url else '?'}limit=100&offset={offset}")
        assert len(page["items"]) <= 100
        items += page["items"]
        offset = page["next_offset"]
    return items


def current_predictions(store: GraphStore, where: str = "true", params: dict | None = None):  # type: ignore[no-untyped-def]
    return store.cypher(
        "MATCH (p:Prediction {current: true})-[:ABOUT]->(t) WHERE " + where + " "
        "RETURN p.id AS id, t.id AS node, p.model_name AS model, p.label AS label, "
        "p.score AS score, p.margin AS margin, labels(t)[0] AS kind",
        params or {},
    ).rows


def test_the_registry_lists_every_model_version(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    items = ok(scored_client, "/api/models")["items"]
    assert {m["name"] for m in items} == MODEL_NAMES
    for model in items:
        assert model["version"] == 1 and model["current"] is True
        assert "path" not in model  # the server's file system stays hidden
        assert isinstance(model["metrics"], dict) and model["trained_at"]
        expected = len(current_predictions(scored_graph, "p.model_name = $m", {"m": model["name"]}))
        assert model["current_predictions"] == expected > 0
        assert ok(scored_client, f"/api/models/{quote(model['id'])}") == model
        assert ok(scored_client, f"/api/models/{model['name']}") == model  # by name: the latest
    assert {m["task"] for m in items} == {"detector", "movement"}
    assert "model" in error_of(scored_client.get("/api/models/model:nope:0"), 404, "not_found")


def test_predictions_page_through_every_current_one(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    items = every_page(scored_client, "/api/predictions")
    expected = current_predictions(scored_graph)
    assert sorted(i["id"] for i in items) == sorted(r["id"] for r in expected)
    assert [(i["node_id"], i["model"]) for i in items] == sorted(
        (i["node_id"], i["model"]) for i in items
    )
    for item in items:
        assert item["current"] is True and isinstance(item["probabilities"], dict)
        assert item["label"] == max(item["probabilities"], key=item["probabilities"].get)
        if item["task"] == "detector":
            assert item["p_ai"] == item["probabilities"]["ai"]
        assert item["image_url"].startswith("/media/shared/")
        assert (item["kind"] == "GeneratedImage") == (item["tile"] is not None)
        assert len(item["predictions"]) == len(MODEL_NAMES)  # each model's about the same image
    page = ok(scored_client, "/api/predictions?limit=7&offset=7")
    assert [i["id"] for i in page["items"]] == [i["id"] for i in items[7:14]]
    assert page["next_offset"] == 14


def test_predictions_filter_by_model_label_and_score(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    svm = every_page(scored_client, "/api/predictions?model=detector-svm-dct")
    assert {i["model"] for i in svm} == {"detector-svm-dct"}
    assert len(svm) == len(current_predictions(scored_graph, "p.model_name = 'detector-svm-dct'"))
    ai = every_page(scored_client, "/api/predictions?label=AI")  # any case: the class is 'ai'
    assert ai and {i["label"] for i in ai} == {"ai"}
    assert len(ai) == len(current_predictions(scored_graph, "p.label = 'ai'"))
    ranged = every_page(scored_client, "/api/predictions?score_min=0.6&score_max=0.9")
    expected = current_predictions(scored_graph, "p.score >= 0.6 AND p.score <= 0.9")
    assert sorted(i["id"] for i in ranged) == sorted(r["id"] for r in expected)
    assert ranged and all(0.6 <= i["score"] <= 0.9 for i in ranged)
    assert ok(scored_client, "/api/predictions?label=no-such-label")["items"] == []
    # Any float formatting a client writes: 14 decimals, exponents.
    written = every_page(
        scored_client, "/api/predictions?score_min=6e-1&score_max=0.90000000000000"
    )
    assert sorted(i["id"] for i in written) == sorted(i["id"] for i in ranged)


def test_most_uncertain_and_disagreements(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    uncertain = every_page(scored_client, "/api/predictions?uncertain=true")
    margins = [i["margin"] for i in uncertain]
    assert margins == sorted(margins)
    assert margins[0] == pytest.approx(min(r["margin"] for r in current_predictions(scored_graph)))

    found = every_page(scored_client, "/api/predictions?disagreement=true")
    misfiled = next(i for i in found if i["node_id"] == MISFILED_ID)
    assert misfiled["label"] == "Pointillism" and misfiled["known_movements"] == ["Baroque"]
    assert misfiled["artist"]["id"] and {i["task"] for i in found} == {"movement"}
    scores = [i["score"] for i in found]
    assert scores == sorted(scores, reverse=True)  # the strongest claims first
    least_sure = every_page(scored_client, "/api/predictions?disagreement=true&uncertain=true")
    assert sorted(i["id"] for i in least_sure) == sorted(i["id"] for i in found)
    assert [i["margin"] for i in least_sure] == sorted(i["margin"] for i in found)
    only = ok(scored_client, "/api/predictions?disagreement=true&label=pointillism&limit=100")
    assert MISFILED_ID in {i["node_id"] for i in only["items"]}
    assert {i["label"] for i in only["items"]} == {"Pointillism"}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=101", "limit"),  # over the hard maximum, as for /api/artworks
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("score_min=high", "score_min"),
        ("score_max=1.5", "score_max"),
        ("score_min=nan", "score_min"),
        ("score_min=1e999", "score_min"),  # infinity, out of range
        ("score_min=%EF%BC%90.5", "score_min"),  # a full-width zero
        ("uncertain=maybe", "uncertain"),
        ("disagreement=2", "disagreement"),
        ("label=" + "x" * 201, "label"),
    ],
)
def test_malformed_prediction_parameters_are_400(
    scored_client: FlaskClient, query: str, named: str
) -> None:
    message = error_of(scored_client.get(f"/api/predictions?{query}"), 400, "bad_request")
    assert message.startswith(named)


def test_artworks_by_predicted_label_with_badges(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    def predicted(label: str) -> list[str]:
        rows = scored_graph.cypher(
            "MATCH (:Prediction {current: true, label: $l})-[:ABOUT]->(a:Artwork) "
            "RETURN DISTINCT a.id AS id ORDER BY id",
            {"l": label},
        )
        return [r["id"] for r in rows.rows]

    ai = every_page(scored_client, "/api/artworks?predicted=ai")
    assert [i["id"] for i in ai] == predicted("ai")
    for card in ai:
        detectors = [p for p in card["predictions"] if p["task"] == "detector"]
        assert any(p["label"] == "ai" for p in detectors)
        assert all(p["p_ai"] is not None and 0 <= p["p_ai"] <= 1 for p in detectors)
    pointillism = every_page(scored_client, "/api/artworks?predicted=pointillism")
    assert [i["id"] for i in pointillism] == predicted("Pointillism")
    assert MISFILED_ID in {i["id"] for i in pointillism}
    # With the other filters: the movement's works, and a text search.
    in_baroque = every_page(
        scored_client, "/api/artworks?predicted=Pointillism&movement=movement:baroque"
    )
    assert MISFILED_ID in {i["id"] for i in in_baroque}
    assert all({"id": "movement:baroque", "name": "Baroque"} in i["movements"] for i in in_baroque)
    searched = ok(scored_client, "/api/artworks?q=bathers&predicted=Pointillism")["items"]
    assert MISFILED_ID in {i["id"] for i in searched}
    other = ok(scored_client, "/api/artworks?q=bathers&predicted=Ukiyo_e")["items"]
    assert MISFILED_ID not in {i["id"] for i in other}  # its one movement prediction
    assert ok(scored_client, "/api/artworks?predicted=nothing-like-it")["items"] == []


def test_an_artwork_shows_its_current_predictions(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    artwork = ok(scored_client, f"/api/artworks/{quote(MISFILED_ID)}")
    expected = current_predictions(scored_graph, "t.id = $id", {"id": MISFILED_ID})
    assert sorted(p["id"] for p in artwork["predictions"]) == sorted(r["id"] for r in expected)
    assert {p["model"] for p in artwork["predictions"]} == MODEL_NAMES
    for prediction in artwork["predictions"]:
        stored = next(r for r in expected if r["id"] == prediction["id"])
        assert prediction["score"] == pytest.approx(stored["score"])
        assert prediction["margin"] == pytest.approx(stored["margin"])
        assert prediction["created_at"] > 0 and prediction["version"] == 1
    movement = next(p for p in artwork["predictions"] if p["task"] == "movement")
    assert movement["label"] == "Pointillism"
    assert sum(movement["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    stored = scored_graph.cypher(
        "MATCH (p:Prediction {id: $id}) RETURN p.probabilities AS p", {"id": movement["id"]}
    ).value()
    assert movement["probabilities"] == json.loads(stored)
    assert isinstance(artwork["reviews"], list)
