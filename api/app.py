"""The Flask application factory: `create_app(settings)` builds one app with its own graph
store, models and blueprints. Under gunicorn each worker process builds its own."""

from __future__ import annotations

import atexit
import logging
from types import ModuleType

from flask import Flask

from api import db
from api.config import ApiSettings
from api.errors import register_error_handlers
from api.guard import register_guard
from api.media import bp as media_bp
from api.models import ModelCache
from api.openapi import register_openapi
from api.views import (
    analytics,
    artists,
    artworks,
    movements,
    predict,
    predictions,
    reviews,
    system,
)
from api.views import identity as identity_views
from api.views import models as model_views
from api.web import bp as web_bp

# Each module holds one blueprint (`bp`) and the OpenAPI paths it serves (`PATHS`). A later
# feature adds its module here; nothing else needs to change.
VIEW_MODULES: list[ModuleType] = [
    artworks,
    artists,
    movements,
    analytics,
    system,
    predict,
    model_views,
    predictions,
    reviews,
    identity_views,
]


def create_app(settings: ApiSettings | None = None) -> Flask:
    settings = settings or ApiSettings.from_env()
    app = Flask(__name__, static_folder=None)
    app.config["GRAPHKIT"] = settings
    # Werkzeug refuses a larger body with 413 before it is read; the margin is the multipart
    # envelope around the file itself.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + 64 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_upload_bytes
    # `//` in a media path must not be merged into a redirect: it is refused like any other.
    app.url_map.merge_slashes = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    holder = db.StoreHolder(settings.graph)
    app.extensions[db.EXTENSION] = holder
    app.extensions[ModelCache.EXTENSION] = ModelCache(settings)
    # The store lives as long as the app (one per worker): closed when the process ends, so
    # the embedded server can stop once its last client has gone.
    atexit.register(holder.close)
    register_error_handlers(app)
    register_guard(app)
    for module in VIEW_MODULES:
        app.register_blueprint(module.bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(media_bp)
    register_openapi(app, VIEW_MODULES)
    logging.getLogger("graphkit.api").setLevel(logging.INFO)
    return app
