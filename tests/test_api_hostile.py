"""Hostile input, on each engine: a corpus of the cases that once gave 500s (a NUL, a lone
surrogate, control characters, over-long values, odd digits; in path ids, query values, media
paths, upload names and JSON bodies) sent to every operation of the OpenAPI description.
Each answer is the API's JSON error with the status the case deserves (400 naming the
parameter for unusable text), never a 5xx, and nothing is written to the graph.
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from api import create_app
from api.config import ApiSettings
from api.views.predict import SLOTS
from graphkit.errors import ConfigError
from graphkit.store import GraphStore
from tests.api_helpers import TOKEN, error_of
from tests.helpers import label_counts, rel_counts

# (what, raw text) of hostile text; each must be refused as text wherever text is taken.
UNUSABLE_TEXT = [
    ("NUL", "a\x00b"),
    ("control", "a\x01b"),
    ("escape", "a\x1b[31mb"),
    ("DEL", "a\x7fb"),
    ("C1", "a\x85b"),
]
# Numbers the way Python's int() reads them, and no client means.
ODD_DIGITS = ["1_0", "\u0663", "\uff11\uff12", " 5", "5 ", "+5", "0x10", "1e2", "nan", "inf"]
WRITES = {"/api/reviews", "/api/analytics/run"}


def _operations(client: FlaskClient) -> list[tuple[str, str, dict]]:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    return [
        (path, method.upper(), operation)
        for path, methods in paths.items()
        for method, operation in methods.items()
    ]


def _stored(store: GraphStore) -> tuple[dict, dict]:
    return label_counts(store), rel_counts(store)


def _no_server_error(response, what: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, (what, response.status_code, response.get_data()[:300])
    if response.status_code >= 400:
        error_of(response, response.status_code)


def test_unusable_text_in_every_path_id_is_400_naming_it(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    before = _stored(api_graph)
    templated = [op for op in _operations(client) if "{id}" in op[0]]
    assert len(templated) >= 5
    for path, method, _ in templated:
        for what, text in UNUSABLE_TEXT:
            url = path.replace("{id}", quote(text, safe=""))
            response = client.open(url, method=method)
            message = error_of(response, 400, "bad_request")
            assert "path" in message or "id" in message, (url, message)
            assert "hold" in message, (what, message)
        long_id = path.replace("{id}", "x" * 600)
        assert "longer than" in error_of(client.open(long_id, method=method), 400)
        # Not text anyone can send: percent-escapes of no UTF-8 arrive as U+FFFD, a 404.
        odd = path.replace("{id}", "%ED%A0%80%FF")
        _no_server_error(client.open(odd, method=method), odd)
    assert _stored(api_graph) == before


def test_unusable_values_in_every_query_parameter_are_400_naming_it(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    before = _stored(api_graph)
    checked = 0
    for path, method, operation in _operations(client):
        url = path.replace("{id}", "aic:artwork:1")
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            cases = [text for _, text in UNUSABLE_TEXT] + ["x" * 2001]
            if parameter["schema"].get("type") in ("integer", "number"):
                cases += ODD_DIGITS
            for value in cases:
                response = client.open(f"{url}?{name}={quote(value, safe='')}", method=method)
                if response.status_code == 401 and path in WRITES:
                    continue  # the token is checked first: nothing is read
                message = error_of(response, 400, "bad_request")
                assert name in message, (path, name, value, message)
                checked += 1
    assert checked > 150
    assert _stored(api_graph) == before


def test_hostile_media_paths_are_refused_without_touching_files(
    client: FlaskClient, api_app: Flask
) -> None:
    thumbnails = api_app.config["GRAPHKIT"].thumbnail_dir
    made = sorted(thumbnails.glob("*")) if thumbnails.is_dir() else []
    for root in ("shared", "data"):
        for query in ("", "?thumb=true", "?tile=1"):
            message = error_of(client.get(f"/media/{root}/x%00.jpg{query}"), 400)
            assert "NUL" in message
            error_of(client.get(f"/media/{root}/{'a' * 300}.jpg{query}"), 404, "not_found")
            error_of(client.get(f"/media/{root}/{'a/' * 150}b.jpg{query}"), 404)
    # Tiles are cut only from generated grids: a painting has none.
    painting = next(
        iter(sorted(Path(api_app.config["GRAPHKIT"].shared_data_dir).glob("wikiart/*/*.jpg")))
    )
    relative = painting.relative_to(api_app.config["GRAPHKIT"].shared_data_dir).as_posix()
    assert client.get(f"/media/shared/{quote(relative)}?thumb=true").status_code == 200
    message = error_of(client.get(f"/media/shared/{quote(relative)}?tile=2"), 404, "not_found")
    assert "not a grid" in message
    made_after = sorted(thumbnails.glob("*"))
    assert len(made_after) <= len(made) + 1  # at most the one thumbnail asked for


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((200, 150)).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def _image_bytes(kind: str) -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((64, 48)).convert("RGB").save(out, kind)
    return out.getvalue()


def _post_upload(client: FlaskClient, data: bytes, name: str, query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/predict{query}",
        data={"image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def test_hostile_upload_names_and_formats_are_refused_and_nothing_is_kept(
    client: FlaskClient, api_graph: GraphStore, api_app: Flask
) -> None:
    before = _stored(api_graph)
    uploads = api_app.config["GRAPHKIT"].graph.data_dir / "uploads"
    kept = sorted(uploads.glob("*")) if uploads.is_dir() else []
    for _, text in UNUSABLE_TEXT:
        for name in (f"a.{text}jpg", f"{text}.jpg"):
            message = error_of(_post_upload(client, _jpeg(), name, "?write=true"), 400)
            assert message.startswith("the upload's file name"), message
    error_of(_post_upload(client, _jpeg(), "n" * 300 + ".jpg", "?write=true"), 400)
    # RFC 2231 names decode to the same text: a NUL hidden in an encoded extension.
    body = (
        b"--B\r\nContent-Disposition: form-data; name=\"image\"; filename*=UTF-8''a.%00jpg\r\n"
        b"Content-Type: image/jpeg\r\n\r\n" + _jpeg() + b"\r\n--B--\r\n"
    )
    response = client.post(
        "/api/predict?write=true",
        data=body,
        content_type="multipart/form-data; boundary=B",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert "NUL" in error_of(response, 400, "bad_request")
    # Formats outside the allow-list are not decoded at all (EPS would run Ghostscript).
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    for data, name in (
        (eps, "a.eps"),
        (_image_bytes("ICO"), "a.ico"),
        (_image_bytes("PPM"), "a.ppm"),
    ):
        message = error_of(_post_upload(client, data, name, "?write=true"), 422, "bad_image")
        assert "accepted format" in message and name in message
    assert _stored(api_graph) == before
    assert (sorted(uploads.glob("*")) if uploads.is_dir() else []) == kept


def test_every_accepted_format_is_scored(client: FlaskClient) -> None:
    for kind in ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"):
        response = _post_upload(client, _image_bytes(kind), f"a.{kind.lower()}")
        assert response.status_code == 200, (kind, response.get_json())
        assert (response.get_json()["width"], response.get_json()["height"]) == (64, 48)


def _review(client: FlaskClient, raw: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/reviews",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def test_hostile_json_bodies_are_400_and_nothing_is_written(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    before = _stored(api_graph)
    node = api_graph.cypher("MATCH (a:Artwork) RETURN a.id AS id ORDER BY id LIMIT 1").value()
    deep = b"[" * 30_000 + b"]" * 30_000  # under the size limit, past the parser's depth
    assert "JSON object" in error_of(_review(client, deep), 400, "bad_request")
    assert "JSON object" in error_of(_review(client, b'{"node_id": "\xff\xfe"}'), 400)
    assert "over" in error_of(_review(client, b'{"note": "' + b"x" * 70_000 + b'"}'), 400)
    for field in ("node_id", "label", "note", "by"):
        for value in ("\ud800", "a\udfffb", "a\x00b", "a\x01b"):
            body = {"node_id": node, "label": "Impressionism", field: value}
            message = error_of(_review(client, json.dumps(body).encode()), 400)
            assert message.startswith(field), message
    assert _stored(api_graph) == before


def test_over_long_urls_and_headers_get_json_414_and_431(client: FlaskClient) -> None:
    message = error_of(client.get("/api/artworks?q=" + "x" * 5000), 414, "uri_too_long")
    assert "4,096" in message
    headers = {f"X-Filler-{i}": "y" * 1000 for i in range(20)}
    error_of(client.get("/api/stats", headers=headers), 431, "headers_too_large")
    assert "control character" in error_of(
        client.get("/api/stats", headers={"X-Odd": "a\x01b"}), 400
    )


def test_every_status_has_its_own_code(client: FlaskClient, shared_data: Path) -> None:
    painting = min((shared_data / "wikiart" / "Baroque").glob("*.jpg"))
    url = f"/media/shared/{quote(painting.relative_to(shared_data).as_posix())}"
    response = client.get(url, headers={"Range": "bytes=99999999-"})
    error_of(response, 416, "range_not_satisfiable")


def test_a_busy_worker_answers_429_with_retry_after(client: FlaskClient, api_app: Flask) -> None:
    assert client.post("/api/predict").status_code == 415  # makes the slots
    slots = api_app.extensions[SLOTS]
    held = 0
    while slots.acquire(blocking=False):
        held += 1
    try:
        assert held == api_app.config["GRAPHKIT"].max_predictions
        response = _post_upload(client, _jpeg(), "a.jpg")
        assert "scoring" in error_of(response, 429, "too_many_requests")
        assert response.headers["Retry-After"] == "2"
    finally:
        for _ in range(held):
            slots.release()
    assert _post_upload(client, _jpeg(), "a.jpg").status_code == 200


def test_the_page_carries_a_content_security_policy(client: FlaskClient) -> None:
    page = client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/stats").headers["X-Content-Type-Options"] == "nosniff"


def test_the_token_is_read_without_surrounding_whitespace(tmp_path: Path) -> None:
    env = {"GRAPHKIT_DATA_DIR": str(tmp_path), "GRAPHKIT_API_TOKEN": f" {TOKEN}\n"}
    assert ApiSettings.from_env(env).token == TOKEN
    with pytest.raises(ConfigError, match="whitespace"):
        ApiSettings.from_env({**env, "GRAPHKIT_API_TOKEN": "two words"})


def test_health_names_no_server_path(client: FlaskClient, api_app: Flask) -> None:
    text = client.get("/api/health").get_data(as_text=True)
    settings = api_app.config["GRAPHKIT"]
    for path in (settings.graph.data_dir, settings.shared_data_dir, settings.models_root):
        assert str(path) not in text and str(Path(path).resolve()) not in text


def test_a_password_in_the_graph_uri_is_never_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.helpers import free_port

    secret = "pw-Zq8-never-shown"
    env = {
        "GRAPHKIT_DATA_DIR": str(tmp_path),
        "GRAPHKIT_GRAPH": f"falkordb://:{secret}@127.0.0.1:{free_port()}",
        "GRAPHKIT_API_CONNECT_TIMEOUT": "0.5",
    }
    settings = ApiSettings.from_env(env)
    assert secret not in repr(settings) and secret not in settings.graph.graph.describe()
    app = create_app(settings)
    client = app.test_client()
    seen = [client.get("/api/stats"), client.get("/api/health")]
    assert [r.status_code for r in seen] == [503, 503]
    for response in seen:
        assert secret not in response.get_data(as_text=True)
    assert "***" in seen[1].get_json()["graph"]["problem"]
    assert secret not in caplog.text
    app.extensions["graphkit_store"].close()


def test_a_configuration_error_is_the_servers_fault(tmp_path: Path) -> None:
    settings = ApiSettings.from_env(
        {"GRAPHKIT_DATA_DIR": str(tmp_path), "GRAPHKIT_GRAPH": "falkordb://"}
    )
    app = create_app(settings)
    message = error_of(app.test_client().get("/api/stats"), 503, "misconfigured")
    assert "no host" in message


def test_concurrent_first_requests_share_one_connection(tmp_path: Path) -> None:
    """The app's first connection is waited for by every request that arrives meanwhile."""
    settings = ApiSettings.from_env(
        {"GRAPHKIT_DATA_DIR": str(tmp_path), "GRAPHKIT_GRAPH_NAME": "first"}
    )
    app = create_app(settings)
    statuses: list[int] = []

    def ask() -> None:
        statuses.append(app.test_client().get("/api/stats").status_code)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    app.extensions["graphkit_store"].close()


def _raw(base: str, request: bytes) -> tuple[int, dict]:
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_gunicorns_own_refusals_are_json(
    api_graph: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> None:
    """Past gunicorn's own limits (a request line over 8,190 bytes, one header over 8,190)
    gunicorn answers before the app: api.worker makes that answer the API's JSON too."""
    from tests.test_web_browser import serving

    with serving(api_graph, shared_data, models_root, tmp_path) as base:
        long_line = b"GET /api/stats?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        status, body = _raw(base, long_line)
        assert (status, body["error"]["code"]) == (414, "uri_too_long")
        big_header = b"GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n"
        status, body = _raw(base, big_header)
        assert (status, body["error"]["code"]) == (431, "headers_too_large")
        status, body = _raw(base, b"NOT A REQUEST\r\n\r\n")
        assert status == 400 and body["error"]["code"] == "bad_request"
        # Under gunicorn's limits, over the app's: the app's JSON.
        status, body = _raw(
            base,
            b"GET /api/stats?q="
            + b"x" * 5000
            + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        assert (status, body["error"]["code"]) == (414, "uri_too_long")
