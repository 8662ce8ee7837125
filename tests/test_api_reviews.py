"""Writes through the API, on both engines: reviews (the queue, recording one, every bad
input refused with nothing written) and `POST /api/predict?write=true` (the upload kept with
each model's prediction, auto-registering a model the registry lacks, once only for the same
bytes, refused with nothing stored when a model is not the registered one)."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from graphkit.store import GraphStore
from tests.api_helpers import TOKEN, api_settings, error_of
from tests.helpers import count, label_counts
from tests.review_helpers import MISFILED_ID
from tests.test_api_bad_input import _upload

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def post_review(client: FlaskClient, body: object, headers: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post("/api/reviews", json=body, headers=AUTH if headers is None else headers)


def queue_of(client: FlaskClient, limit: int = 100) -> list[dict]:
    response = client.get(f"/api/reviews/queue?limit={limit}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _registry_name(detector: str) -> str:
    """The registered model behind a detector the API names (the default is `detector`)."""
    return detector if detector == "detector" else f"detector-{detector}"


def test_a_review_is_recorded_and_leaves_the_queue(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    queue = queue_of(scored_client)
    margins = [item["margin"] for item in queue]
    assert queue and margins == sorted(margins)  # most uncertain first
    first = queue_of(scored_client, 5)
    assert [i["id"] for i in first] == [i["id"] for i in queue[:5]]
    item = queue[0]
    other_label = next(c for c in item["probabilities"] if c != item["label"])
    response = post_review(
        scored_client,
        {"node_id": item["node_id"], "label": other_label, "note": "looked closely", "by": "anna"},
    )
    assert response.status_code == 201, response.get_json()
    recorded = response.get_json()
    assert recorded["node_id"] == item["node_id"] and recorded["label"] == other_label
    verdicts = {v["prediction"]: v["verdict"] for v in recorded["verdicts"]}
    assert verdicts[item["id"]] == "corrects"
    stored = scored_graph.cypher(
        "MATCH (r:Review {id: $id})-[:ABOUT]->(t) MATCH (r)-[v:REVIEWS]->(p:Prediction) "
        "RETURN t.id AS node, r.label AS label, r.note AS note, r.by AS by, p.id AS prediction, "
        "v.verdict AS verdict",
        {"id": recorded["review"]},
    ).rows
    assert {(r["node"], r["label"], r["note"], r["by"]) for r in stored} == {
        (item["node_id"], other_label, "looked closely", "anna")
    }
    assert {r["prediction"]: r["verdict"] for r in stored} == verdicts
    after = queue_of(scored_client)
    assert not [i for i in after if i["node_id"] == item["node_id"] and i["task"] == item["task"]]
    if item["kind"] == "Artwork":
        artwork = scored_client.get(f"/api/artworks/{quote(item['node_id'])}").get_json()
        assert [(r["label"], r["by"], r["note"]) for r in artwork["reviews"]] == [
            (other_label, "anna", "looked closely")
        ]
    # Confirming the misfiled painting's movement, with the reviewer left to the default.
    confirmed = post_review(scored_client, {"node_id": MISFILED_ID, "label": "Pointillism"})
    assert confirmed.status_code == 201
    movement = [v for v in confirmed.get_json()["verdicts"] if v["predicted"] == "Pointillism"]
    assert [v["verdict"] for v in movement] == ["confirms"]


def test_bad_reviews_are_refused_and_nothing_is_written(
    scored_client: FlaskClient, scored_graph: GraphStore
) -> None:
    before = label_counts(scored_graph).get("Review", 0)
    good = {"node_id": MISFILED_ID, "label": "human"}
    assert "Bearer" in error_of(post_review(scored_client, good, headers={}), 401, "unauthorized")
    wrong = {"Authorization": "Bearer not-the-token"}
    error_of(post_review(scored_client, good, headers=wrong), 401, "bad_token")
    malformed = scored_client.post(
        "/api/reviews", data="{not json", content_type="application/json", headers=AUTH
    )
    assert "JSON object" in error_of(malformed, 400, "bad_request")
    for body, named in (
        (["a list"], "JSON object"),
        ({"label": "human"}, "node_id"),
        ({"node_id": MISFILED_ID}, "label"),
        ({"node_id": MISFILED_ID, "label": 3}, "label"),
        ({"node_id": MISFILED_ID, "label": "  "}, "label"),
        ({"node_id": MISFILED_ID, "label": "human", "extra": 1}, "extra"),
        ({"node_id": MISFILED_ID, "label": "human", "note": "x" * 2001}, "note"),
    ):
        assert named in error_of(post_review(scored_client, body), 400, "bad_request")
    unknown = post_review(scored_client, {"node_id": "nope:artwork:0", "label": "human"})
    assert "nope:artwork:0" in error_of(unknown, 404, "not_found")
    bad_label = post_review(scored_client, {"node_id": MISFILED_ID, "label": "Cubism-ish"})
    message = error_of(bad_label, 422, "not_reviewable")
    assert "Cubism-ish" in message and "Pointillism" in message  # the classes that would do
    unscored = scored_graph.cypher(
        "MATCH (a:Artwork) WHERE a.image_path IS NULL RETURN a.id AS id ORDER BY id LIMIT 1"
    ).value()
    error_of(post_review(scored_client, {"node_id": unscored, "label": "human"}), 422)
    assert label_counts(scored_graph).get("Review", 0) == before
    for query in ("limit=0", "limit=101", "limit=x"):
        error_of(scored_client.get(f"/api/reviews/queue?{query}"), 400, "bad_request")


def _image(shared_data: Path) -> bytes:
    """A real photograph (an AIC painting); the scene graph holds none but the first eight."""
    return sorted((shared_data / "aic_paintings" / "images").glob("*.jpg"))[-1].read_bytes()


def test_write_true_keeps_the_upload_and_its_predictions_once(
    store: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    """On an empty graph of its own: the models are registered by the first write."""
    app: Flask = create_app(api_settings(store, tmp_path, shared_data, models_root))
    client = app.test_client()
    data = _image(shared_data)
    sha = hashlib.sha256(data).hexdigest()
    refused = _upload(client, data, "painting.jpg", "?write=true")
    error_of(refused, 401, "unauthorized")
    assert label_counts(store) == {} and not (tmp_path / "uploads").exists()

    response = client.post(
        "/api/predict?write=true",
        data={"image": (io.BytesIO(data), "painting.jpg")},
        headers=AUTH,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    written = body["written"]
    assert written["artwork_id"] == f"upload:{sha}" and written["created"] is True
    assert {p["model"] for p in written["predictions"]} == {
        "detector",
        "detector-svm-dct",
        "detector-backbone",
        "detector-gfnet",
        "movement-efficientnet-lite0",
    }
    assert all(p["created"] and p["version"] == 1 for p in written["predictions"])
    kept = tmp_path / "uploads" / f"{sha}.jpg"
    assert kept.read_bytes() == data and [p.name for p in kept.parent.iterdir()] == [kept.name]
    node = store.cypher(
        "MATCH (a:Artwork {id: $id}) RETURN a.sources AS sources, a.image_path AS path, "
        "a.image_sha256 AS sha, a.title AS title",
        {"id": written["artwork_id"]},
    ).rows
    assert node == [
        {"sources": ["upload"], "path": str(kept.resolve()), "sha": sha, "title": "painting"}
    ]
    assert count(store, "(:Model)") == 5  # registered by this write
    # The stored predictions are the answer's: P(ai) per detector, the top movement.
    artwork = client.get(f"/api/artworks/{quote(written['artwork_id'])}").get_json()
    stored = {p["model"]: p["p_ai"] for p in artwork["predictions"] if p["task"] == "detector"}
    answered = {_registry_name(d["detector"]): d["p_ai"] for d in body["detectors"]}
    assert stored.keys() == answered.keys()
    assert all(abs(stored[name] - answered[name]) < 1e-4 for name in stored)  # rounded: 4 places
    movement = next(p for p in artwork["predictions"] if p["task"] == "movement")
    assert movement["label"] == body["movements"][0]["movement"]
    assert artwork["image_url"] == f"/media/data/uploads/{sha}.jpg"
    assert client.get(artwork["image_url"]).status_code == 200

    counts = label_counts(store)
    again = client.post(
        "/api/predict?write=true",
        data={"image": (io.BytesIO(data), "same-again.jpg")},
        headers=AUTH,
    ).get_json()["written"]
    assert again["artwork_id"] == written["artwork_id"] and again["created"] is False
    assert not any(p["created"] for p in again["predictions"])
    assert [p["prediction"] for p in again["predictions"]] == [
        p["prediction"] for p in written["predictions"]
    ]
    assert label_counts(store) == counts and len(list(kept.parent.iterdir())) == 1
    # `graphkit predict` finds the upload scored already: its image is an Artwork image.
    assert count(store, "(:Prediction {current: true})-[:ABOUT]->(:Artwork)") == 5  # one per model
    app.extensions["graphkit_store"].close()


def test_write_true_refuses_weights_the_registry_does_not_know(
    store: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    """The svm-dct directory registered with other weights: 503 naming it, nothing stored."""
    from ml.registry import register_model

    root = tmp_path / "models"
    shutil.copytree(models_root, root)
    register_model(store, root / "detector-svm-dct")
    # Another first digit: a fixed 'f' changed nothing when the real hash began with one.
    store.cypher(
        "MATCH (m:Model) SET m.sha256 = CASE WHEN m.sha256 STARTS WITH 'f' THEN '0' ELSE 'f' END"
        " + substring(m.sha256, 1)",
        write=True,
    )
    app: Flask = create_app(api_settings(store, tmp_path / "data", shared_data, root))
    client = app.test_client()
    before = label_counts(store)
    response = client.post(
        "/api/predict?write=true",
        data={"image": (io.BytesIO(_image(shared_data)), "x.jpg")},
        headers=AUTH,
    )
    message = error_of(response, 503, "model_unavailable")
    assert "detector-svm-dct" in message and "registry" in message
    assert label_counts(store) == before and not (tmp_path / "data" / "uploads").exists()
    health = client.get("/api/health").get_json()
    svm = next(m for m in health["models"] if m["name"] == "detector-svm-dct")
    assert svm["ok"] is False and svm["registered"] is None and "registered" in svm["problem"]
    app.extensions["graphkit_store"].close()


def test_health_names_the_registered_version_of_each_model(scored_client: FlaskClient) -> None:
    health = scored_client.get("/api/health").get_json()
    assert health["models_ok"] is True
    for entry in health["models"]:
        assert entry["registered"]["name"] == entry["name"] and entry["registered"]["version"] == 1
