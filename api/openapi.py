"""The OpenAPI 3 description, assembled from the `PATHS` that each view module declares beside
its routes (so the two are edited together), served at /api/openapi.json. The tests check it
against the running app with schemathesis, and that every route has an entry."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import Blueprint, Flask, Response, jsonify

from api.config import MAX_PAGE_SIZE
from api.guard import MAX_PATH_VALUE
from api.params import DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_TEXT

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
URL: Schema = {"type": "string", "nullable": True}


def nullable(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = ()) -> Schema:
    """An object whose properties are all required but OPTIONAL ones."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


REF = obj({"id": STRING, "name": nullable(STRING)})


def page_of(item: Schema) -> Schema:
    return obj(
        {
            "items": array(item),
            "limit": INTEGER,
            "offset": INTEGER,
            "next_offset": nullable(INTEGER),
        }
    )


def query_param(name: str, description: str, schema: Schema) -> Schema:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def query_int(name: str, description: str, *, minimum: int, maximum: int) -> Schema:
    return query_param(
        name, description, {"type": "integer", "minimum": minimum, "maximum": maximum}
    )


def query_number(name: str, description: str, *, minimum: float, maximum: float) -> Schema:
    return query_param(
        name, description, {"type": "number", "minimum": minimum, "maximum": maximum}
    )


# Text the API takes (api.guard): no C0 or C1 control character, no DEL.
USABLE_TEXT = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def query_text(name: str, description: str) -> Schema:
    schema = {"type": "string", "maxLength": MAX_TEXT, "pattern": USABLE_TEXT}
    return query_param(name, description, schema)


def query_bool(name: str, description: str) -> Schema:
    schema = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}
    return query_param(name, description, schema)


def path_id(what: str) -> Schema:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": f"the {what}'s id, e.g. as listed",
        "schema": {"type": "string", "maxLength": MAX_PATH_VALUE, "pattern": USABLE_TEXT},
    }


PAGE_PARAMS = [
    query_int(
        "limit", f"page size (default {DEFAULT_PAGE_SIZE})", minimum=1, maximum=MAX_PAGE_SIZE
    ),
    query_int("offset", "rows to skip", minimum=0, maximum=MAX_OFFSET),
]


def error(description: str) -> Schema:
    return {"description": description, "content": json_content(ref("Error"))}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


def get(
    summary: str,
    body: Schema,
    *,
    parameters: list[Schema] | None = None,
    errors: dict[str, str] | None = None,
) -> Schema:
    """A GET operation answering BODY as JSON, with the errors every endpoint can give."""
    responses = {"200": {"description": "OK", "content": json_content(body)}}
    for status, description in {
        "400": "a malformed parameter",
        "503": "the graph database is unavailable",
        **(errors or {}),
    }.items():
        responses[status] = error(description)
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


COMPONENTS = {
    "schemas": {
        "Error": obj(
            {"error": obj({"code": STRING, "message": STRING})},
        ),
    },
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
}


def document(modules: list[ModuleType]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for module in modules:
        for path, operations in module.PATHS.items():
            paths.setdefault(path, {}).update(operations)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "graphkit",
            "version": "1",
            "description": "An art-collection graph: artworks, artists, movements, places, "
            "analytics, similar artworks and image models. Every error is "
            '{"error": {"code", "message"}}.',
        },
        "paths": dict(sorted(paths.items())),
        "components": COMPONENTS,
    }


def register_openapi(app: Flask, modules: list[ModuleType]) -> None:
    bp = Blueprint("openapi", __name__)
    spec = document(modules)

    @bp.get("/api/openapi.json")
    def openapi() -> Response:
        return jsonify(spec)

    app.register_blueprint(bp)
