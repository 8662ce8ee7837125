"""Writes need `Authorization: Bearer <token>`, the token being GRAPHKIT_API_TOKEN; with no
token configured every write is refused (a server is read-only until one is set)."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

from api.errors import Unauthorized

F = TypeVar("F", bound=Callable[..., Any])

# The OpenAPI security requirement of a write operation.
SECURITY = [{"bearer": []}]


def check_token() -> None:
    configured = current_app.config["GRAPHKIT"].token
    if not configured:
        raise Unauthorized(
            "writes are disabled: this server has no GRAPHKIT_API_TOKEN", code="writes_disabled"
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("this write needs an Authorization: Bearer <token> header")
    # Constant-time comparison: the time taken tells nothing about the token.
    if not hmac.compare_digest(given.strip().encode(), configured.encode()):
        raise Unauthorized("the bearer token is not valid", code="bad_token")


def requires_token(view: F) -> F:
    """Decorate a view that writes: it runs only with the right bearer token."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check_token()
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
