"""JSON request bodies, checked: anything that is not the object asked for is a 400 naming
what is wrong, before a value reaches the graph."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from api.errors import BadRequest
from api.guard import problem

MAX_BODY = 64 * 1024  # a review is a few hundred bytes


def json_object(shape: str) -> dict[str, Any]:
    """The body as a JSON object; SHAPE describes the expected one for the error message.
    Bodies nested too deeply for the parser, invalid UTF-8 and non-objects are all 400."""
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY:
        raise BadRequest(f"the JSON body is over {MAX_BODY:,} bytes; send {shape}")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise BadRequest(f"send a JSON object: {shape}")
    return body


def string_field(
    body: dict[str, Any], name: str, *, required: bool, longest: int, multiline: bool = False
) -> str | None:
    """BODY[NAME] as stripped text; None when optional and left out or blank."""
    value = body.get(name)
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{name} must be a non-empty string")
    if len(value) > longest:
        raise BadRequest(f"{name} must be at most {longest} characters")
    wrong = problem(value, multiline=multiline)
    if wrong:
        raise BadRequest(f"{name} {wrong}")
    return value.strip()


def checked_fields(shape: str, fields: dict[str, tuple[bool, int]]) -> dict[str, str | None]:
    """The body's FIELDS ({name: (required, most characters)}) as checked text, a `note`
    may span lines; unknown fields are a 400. SHAPE describes the object for messages."""
    body = json_object(shape)
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise BadRequest(f"unknown fields {unknown[:5]}: send only {', '.join(fields)}")
    return {
        name: string_field(body, name, required=required, longest=longest, multiline=name == "note")
        for name, (required, longest) in fields.items()
    }
