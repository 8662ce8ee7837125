"""Every bad input of the issue gets its JSON error with the right status, and nothing is
written: malformed parameters, unknown ids, uploads that are not usable images, media paths
that leave the data directories, writes without the token. Also: predictions of a good
upload, media caching, and a token-guarded write that really writes (both engines)."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from api import create_app
from graphkit.store import GraphStore
from tests.api_helpers import TOKEN, api_settings, error_of
from tests.helpers import count, label_counts
from tests.test_ml_images import png_header_only


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("offset=-1", "offset"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),  # over the hard maximum page size
        ("limit=ten", "limit"),
        ("offset=1e3", "offset"),
        ("year_from=nineteen", "year_from"),
        ("year_to=99999", "year_to"),
        ("has_image=maybe", "has_image"),
        ("q=" + "x" * 201, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_malformed_parameters_are_400_naming_them(
    client: FlaskClient, query: str, named: str
) -> None:
    message = error_of(client.get(f"/api/artworks?{query}"), 400, "bad_request")
    assert message.startswith(named)


def test_other_lists_check_their_parameters(client: FlaskClient) -> None:
    for url in (
        "/api/artists?limit=-5",
        "/api/places?offset=x",
        "/api/analytics/pagerank?limit=501",
        "/api/analytics/communities?members=-1",
        "/api/artworks/aic:artwork:1/similar?k=0",
        "/api/artworks/aic:artwork:1/similar?k=51",
    ):
        error_of(client.get(url), 400, "bad_request")


def test_unknown_ids_are_404(client: FlaskClient) -> None:
    for url, what in (
        ("/api/artworks/nope:artwork:0", "artwork"),
        ("/api/artworks/nope:artwork:0/similar", "artwork"),
        ("/api/artists/artist:nobody-at-all", "artist"),
        ("/api/movements/movement:none", "movement"),
    ):
        assert what in error_of(client.get(url), 404, "not_found")
    error_of(client.get("/api/no-such-endpoint"), 404, "not_found")


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.post("/api/artworks")
    error_of(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    error_of(client.get("/api/predict"), 405, "method_not_allowed")


def _upload(client: FlaskClient, data: bytes, name: str = "picture.jpg", query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/predict{query}",
        data={"image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _jpeg(size: tuple[int, int] = (300, 220)) -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def _bomb() -> bytes:
    """A 2 KB PNG that decodes to 144 million pixels (12000 x 12000, one bit each)."""
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_bad_uploads_get_their_error_and_nothing_is_written(
    client: FlaskClient, api_graph: GraphStore, tmp_path: Path
) -> None:
    before = label_counts(api_graph)
    error_of(client.post("/api/predict", json={"image": "x"}), 415, "unsupported_media_type")
    error_of(client.post("/api/predict", data=_jpeg(), content_type="image/jpeg"), 415)
    message = error_of(
        client.post("/api/predict", data={"other": (io.BytesIO(_jpeg()), "a.jpg")}), 400
    )
    assert "'image'" in message
    assert "empty file" in error_of(_upload(client, b""), 422, "bad_image")
    truncated = _jpeg((800, 600))
    assert "truncated" in error_of(_upload(client, truncated[: len(truncated) // 3]), 422)
    huge = png_header_only(tmp_path / "huge.png", 20000, 20000).read_bytes()
    assert "refused before decoding" in error_of(_upload(client, huge, "huge.png"), 422)
    bomb = _bomb()
    assert len(bomb) < 50_000
    assert "refused before decoding" in error_of(_upload(client, bomb, "bomb.png"), 422)
    assert "not an image" in error_of(_upload(client, b"just some text\n" * 50, "notes.txt"), 422)
    message = error_of(_upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "broken.png"), 422)
    assert message.startswith("broken.png:")  # named as uploaded, not by a temporary path
    # Keeping the upload needs the token: refused before the upload is read.
    error_of(_upload(client, _jpeg(), query="?write=true"), 401, "unauthorized")
    assert label_counts(api_graph) == before


def test_upload_over_the_limit_is_413(
    api_graph: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    settings = api_settings(
        api_graph, tmp_path, shared_data, models_root, GRAPHKIT_MAX_UPLOAD_MB="0.05"
    )
    app = create_app(settings)
    small = app.test_client()
    big = os.urandom(120_000)
    assert "upload limit" in error_of(_upload(small, big), 413, "too_large")
    # Within the body limit but over the file limit (the envelope's margin).
    assert settings.max_upload_bytes < 60_000 < app.config["MAX_CONTENT_LENGTH"]
    error_of(_upload(small, os.urandom(60_000)), 413, "too_large")
    app.extensions["graphkit_store"].close()


def test_a_good_upload_gets_every_detector_and_the_top_movements(client: FlaskClient) -> None:
    response = _upload(client, _jpeg(), "gradient.jpg", "?explain=true")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["file"] == "gradient.jpg" and (body["width"], body["height"]) == (300, 220)
    names = [d["detector"] for d in body["detectors"]]
    assert names == ["detector", "svm-dct", "backbone", "gfnet"]
    assert all(0.0 <= d["p_ai"] <= 1.0 for d in body["detectors"])
    assert body["p_ai"] == body["detectors"][0]["p_ai"]  # the default detector's
    movements = body["movements"]
    assert len(movements) == 4  # the tiny model knows four styles; at most five are listed
    assert [m["probability"] for m in movements] == sorted(
        (m["probability"] for m in movements), reverse=True
    )
    assert sum(m["probability"] for m in movements) == pytest.approx(1.0, abs=1e-3)
    overlay = body["explanation"]["overlay"]
    assert overlay.startswith("data:image/png;base64,")
    heat = Image.open(io.BytesIO(base64.b64decode(overlay.split(",", 1)[1])))
    assert heat.size == (300, 220) and body["explanation"]["movement"] in [
        m["movement"] for m in movements
    ]
    plain = _upload(client, _jpeg(), "gradient.jpg").get_json()
    assert "explanation" not in plain and plain["detectors"] == body["detectors"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/shared/../../../etc/passwd",
        "/media/shared/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/media/shared/..%2f..%2f..%2fetc%2fpasswd",
        "/media/shared//etc/passwd",
        "/media/nowhere/wikiart/x.jpg",
        "/media/shared/datathon/Artist.parquet.gzip",  # inside, but not an image
        "/media/shared/wikiart/Baroque/no-such-file.jpg",
    ],
)
def test_media_serves_nothing_outside_the_data_directories(client: FlaskClient, path: str) -> None:
    error_of(client.get(path), 404, "not_found")


def test_media_refuses_links_out_and_the_graph_files(client: FlaskClient, api_app: Flask) -> None:
    data_dir = api_app.config["GRAPHKIT"].graph.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "escape.jpg").unlink(missing_ok=True)
    (data_dir / "escape.jpg").symlink_to("/etc/passwd")
    error_of(client.get("/media/data/escape.jpg"), 404, "not_found")
    (data_dir / "notes.txt").write_text("secret")
    error_of(client.get("/media/data/notes.txt"), 404, "not_found")


def test_media_caching_and_thumbnails_made_once(client: FlaskClient, api_app: Flask) -> None:
    url = client.get("/api/artworks?has_image=true&limit=1").get_json()["items"][0]["image_url"]
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert "max-age=" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    thumb = client.get(url + "?thumb=true")
    image = Image.open(io.BytesIO(thumb.data))
    assert thumb.mimetype == "image/webp" and max(image.size) == 320
    cached = sorted(api_app.config["GRAPHKIT"].thumbnail_dir.glob("*.webp"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert client.get(url + "?thumb=true").data == thumb.data
    assert [p.stat().st_mtime_ns for p in cached] == stamps  # served from the cache
    error_of(client.get(url + "?tile=4"), 400, "bad_request")


WRITE = "/api/analytics/run"


def test_writes_need_the_right_token(client: FlaskClient, api_graph: GraphStore) -> None:
    before = count(api_graph, "(a:Artist) WHERE a.pagerank IS NOT NULL")
    assert "Bearer" in error_of(client.post(WRITE), 401, "unauthorized")
    wrong = {"Authorization": "Bearer not-the-token"}
    error_of(client.post(WRITE, headers=wrong), 401, "bad_token")
    error_of(client.post(WRITE, headers={"Authorization": f"Basic {TOKEN}"}), 401, "unauthorized")
    assert client.post(WRITE).headers["WWW-Authenticate"].startswith("Bearer")
    assert count(api_graph, "(a:Artist) WHERE a.pagerank IS NOT NULL") == before


def test_without_a_configured_token_writes_are_refused(
    api_graph: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    app = create_app(
        api_settings(api_graph, tmp_path, shared_data, models_root, GRAPHKIT_API_TOKEN="")
    )
    response = app.test_client().post(WRITE, headers={"Authorization": "Bearer "})
    assert "GRAPHKIT_API_TOKEN" in error_of(response, 401, "writes_disabled")
    app.extensions["graphkit_store"].close()


def test_the_right_token_writes(
    store: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    """On a fresh graph of its own (both engines): the analytics are computed and written."""
    from graphkit.populate import populate_source

    populate_source(store, "datathon", shared_data / "datathon", progress=False)
    assert count(store, "(a:Artist) WHERE a.pagerank IS NOT NULL") == 0
    app: Flask = create_app(api_settings(store, tmp_path, shared_data, models_root))
    response = app.test_client().post(WRITE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_json()
    written = response.get_json()["written"]
    assert written["artists"] == count(store, "(a:Artist) WHERE a.pagerank IS NOT NULL") > 100
    app.extensions["graphkit_store"].close()
