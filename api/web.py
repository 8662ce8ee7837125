"""The web page: plain HTML, CSS and JavaScript files (no build step) served by the API's own
app. One page, index.html; app.js draws each view (search, artwork, artist, movement,
upload) from the JSON API, routed by the URL's #fragment."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

WEB_DIR = Path(__file__).resolve().parent / "web"

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> Response:
    response = send_from_directory(WEB_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/static/<path:name>")
def static_file(name: str) -> Response:
    # send_from_directory refuses any name that leaves WEB_DIR.
    response = send_from_directory(WEB_DIR, name, max_age=300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
