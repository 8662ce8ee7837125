"""The identity review through the API, on both engines (issue 19): the queue of pairs, a
merge and a separation posted with the write token, every bad request refused with nothing
written, and the decisions surviving a full re-populate and a sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api import create_app
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, sync_source
from graphkit.sync.state import read_states
from tests.api_helpers import TOKEN, api_settings
from tests.helpers import count
from tests.test_identity_review import (
    CADERE,
    CADERE_SLUG,
    STAMOS,
    STAMOS_SLUG,
    WIKIART,
    assert_decided,
    copy_identity_sources,
    populate_both,
)

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _post(client: FlaskClient, body: object, headers: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/identity/decisions", json=body, headers=AUTH if headers is None else headers
    )


def test_decisions_posted_through_the_api_outlive_populate_and_sync(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    sources = copy_identity_sources(shared_data, tmp_path / "sources")
    populate_both(store, sources)
    app = create_app(api_settings(store, tmp_path / "data", shared_data, tmp_path / "models"))
    client = app.test_client()
    try:
        response = client.get("/api/identity/queue?limit=10")
        assert response.status_code == 200, response.get_json()
        items = response.get_json()["items"]
        assert {(i["one"], i["other"]) for i in items} == {
            (STAMOS_SLUG, STAMOS),
            (CADERE_SLUG, CADERE),
        }
        stamos = next(i for i in items if i["other"] == STAMOS)
        assert stamos["one_works"] == 3 and stamos["other_birth"] == 1922
        # WikiArt's three works have images (Tate's here have none): thumbnails, not paths.
        assert len(stamos["one_shown"]) == 3 and stamos["other_shown"] == []
        for work in stamos["one_shown"]:
            assert work["thumbnail_url"].startswith("/media/") and "image_path" not in work
            assert client.get(work["thumbnail_url"]).status_code == 200
        works = stamos["one_works"] + stamos["other_works"]

        merge = {"one": STAMOS, "other": STAMOS_SLUG, "verdict": "same", "by": "anna"}
        refused = [
            (_post(client, merge, headers={}), 401),
            (_post(client, merge, headers={"Authorization": "Bearer nope"}), 401),
            (_post(client, ["not", "an", "object"]), 400),
            (_post(client, {**merge, "verdict": "maybe"}), 400),
            (_post(client, {**merge, "extra": 1}), 400),
            (_post(client, {**merge, "one": ""}), 400),
            (_post(client, {**merge, "one": "x" * 501}), 400),
            (_post(client, {**merge, "other": STAMOS}), 422),
            (_post(client, {**merge, "other": "artist:nobody"}), 404),
        ]
        assert [r.status_code for r, _ in refused] == [status for _, status in refused]
        assert count(store, "(:IdentityDecision)") == 0  # nothing written by a refusal

        response = _post(client, merge)
        assert response.status_code == 201, response.get_json()
        decision = response.get_json()
        assert decision["who"] == "anna" and decision["verdict"] == "same"
        assert decision["other_source_ids"] == ["wikiart:artist:theodoros-stamos"]
        separate = {"one": CADERE, "other": CADERE_SLUG, "verdict": "different"}
        response = _post(client, separate)
        assert response.status_code == 201 and response.get_json()["who"] == "api"
        assert client.get("/api/identity/queue").get_json()["items"] == []
        assert_decided(store, works)
    finally:
        app.extensions["graphkit_store"].close()

    populate_both(store, sources)  # a full re-populate
    assert_decided(store, works)
    next((sources["wikiart"] / WIKIART["andrei-cadere"]).glob("andrei-cadere_*")).unlink()
    report = sync_source(
        store,
        "wikiart",
        sources["wikiart"],
        SyncOptions(progress=False),
        read_states(store)["wikiart"],
    )
    assert report.read
    assert_decided(store, works)
