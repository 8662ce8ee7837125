"""One error shape for every failure: `{"error": {"code": ..., "message": ...}}` with the right
HTTP status, and never a traceback. graphkit's own errors map to statuses by class."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from graphkit.errors import (
    GraphkitError,
    GraphUnavailable,
    ImageError,
    ModelError,
    QueryError,
)

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


class ServiceUnavailable(ApiError):
    status, code = 503, "unavailable"


# werkzeug's own errors (routing, methods, body size) keep their status with these codes.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    503: "unavailable",
}


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="graphkit"'
    return response


def _from_graphkit(exc: GraphkitError) -> Response:
    if isinstance(exc, GraphUnavailable):
        return error_response(503, "graph_unavailable", f"the graph database is unavailable: {exc}")
    if isinstance(exc, ModelError):
        return error_response(503, "model_unavailable", f"a model cannot be used: {exc}")
    if isinstance(exc, ImageError):
        return error_response(422, "bad_image", str(exc))
    if isinstance(exc, QueryError):
        log.error("query failed: %s", exc)
        return error_response(500, "query_failed", "a graph query failed; see the server log")
    return error_response(400, "bad_request", str(exc))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

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
        response = error_response(status, HTTP_CODES.get(status, "error"), exc.description or "")
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        # Logged in full for the operator; the client gets one line and no traceback.
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error; see the server log")
