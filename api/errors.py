"""One error shape for every failure: `{"error": {"code": ..., "message": ...}}` with the right
HTTP status, and never a traceback. graphkit's own errors map to statuses by class.

Messages are written for operators (they name files and servers); `client_safe` turns each
into what a client may read: the server's directories become the names the API serves them
under, and no password or token survives. Every error body passes through it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, current_app, has_app_context, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from graphkit.errors import (
    ConfigError,
    GraphkitError,
    GraphUnavailable,
    ImageError,
    ModelError,
    QueryError,
    QueryTimeout,
)
from graphkit.redact import redact_uri
from graphkit.settings import PROJECT_ROOT

log = logging.getLogger("graphkit.api")


class ApiError(Exception):
    """An error with its HTTP status and a short machine-readable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class NotFound(ApiError):
    status, code = 404, "not_found"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(ApiError):
    status, code = 422, "unprocessable"


class TooManyRequests(ApiError):
    status, code = 429, "too_many_requests"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ServiceUnavailable(ApiError):
    status, code = 503, "unavailable"


# werkzeug's own errors (routing, methods, body size) keep their status with these codes.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    411: "length_required",
    412: "precondition_failed",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    417: "expectation_failed",
    422: "unprocessable",
    428: "precondition_required",
    429: "too_many_requests",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


def _secrets_and_places() -> list[tuple[str, str]]:
    """(text, what replaces it) for this app: passwords and token first, then directories,
    longest first so that a directory inside another keeps its own name."""
    settings = current_app.config["GRAPHKIT"]
    graph = settings.graph
    secrets = [settings.token, graph.neo4j_password]
    places: dict[str, str] = {}
    if graph.graph.kind == "embedded":
        places[graph.graph.location] = "graph"
    for path, name in (
        (settings.shared_data_dir, "shared"),
        (graph.data_dir, "data"),
        (settings.models_root, "models"),
        (PROJECT_ROOT, "<server>"),
    ):
        for form in {str(path), str(Path(path).resolve())}:
            places.setdefault(form, name)
    replaced = [(secret, "***") for secret in secrets if len(secret or "") >= 4]
    return replaced + sorted(places.items(), key=lambda item: -len(item[0]))


def client_safe(message: str) -> str:
    """MESSAGE without the server's directories, passwords or token (see the module's notes)."""
    message = redact_uri(message)
    if not has_app_context() or "GRAPHKIT" not in current_app.config:
        return message
    for text, shown in _secrets_and_places():
        if text and text != "/":
            message = message.replace(text, shown)
    return message


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": client_safe(message)}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="graphkit"'
    return response


def _from_graphkit(exc: GraphkitError) -> Response:
    if isinstance(exc, QueryTimeout):
        log.warning("query stopped: %s", exc)
        return error_response(503, "query_timeout", f"the graph query took too long: {exc}")
    if isinstance(exc, GraphUnavailable):
        return error_response(503, "graph_unavailable", f"the graph database is unavailable: {exc}")
    if isinstance(exc, ModelError):
        return error_response(503, "model_unavailable", f"a model cannot be used: {exc}")
    if isinstance(exc, ImageError):
        return error_response(422, "bad_image", str(exc))
    if isinstance(exc, QueryError):
        log.error("query failed: %s", exc)
        return error_response(500, "query_failed", "a graph query failed; see the server log")
    if isinstance(exc, ConfigError):  # the server's settings, not the client's request
        log.error("configuration error: %s", exc)
        return error_response(503, "misconfigured", f"the server is misconfigured: {exc}")
    return error_response(400, "bad_request", str(exc))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        response = error_response(exc.status, exc.code, exc.message)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.errorhandler(GraphkitError)
    def graphkit_error(exc: GraphkitError) -> Response:
        return _from_graphkit(exc)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> Response:
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return error_response(
            413, "too_large", f"the request body is over the {limit:,}-byte upload limit"
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = HTTP_CODES.get(status, f"http_{status}")
        response = error_response(status, code, exc.description or "")
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        # Logged in full for the operator; the client gets one line and no traceback.
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error; see the server log")
