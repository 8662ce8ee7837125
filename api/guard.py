"""Every request's text checked before any view runs: the path, each query value, each header
and the ids routed out of the path. A NUL, a control character, a lone surrogate or an
over-long value is refused here with the API's JSON error naming where it was, so no engine,
file system call or log line ever sees it.

Werkzeug decodes percent-escapes with errors="replace", so a URL cannot carry a lone
surrogate (it arrives as U+FFFD); JSON bodies can, and api.bodies checks them with the same
`problem` function.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

from api.errors import ApiError, BadRequest

MAX_URL = 4096  # path and query string together, as sent (414 above)
MAX_HEADERS = 16 * 1024  # every header name and value together (431 above)
MAX_PATH_VALUE = 500  # one id routed out of the path
MAX_QUERY_VALUE = 2000  # one query-string value (each parameter has its own, smaller, limit)
# C0 controls, DEL and C1 controls: no id, name or search has a use for them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Headers arrive decoded as Latin-1, where UTF-8 bytes can look like C1 controls: only C0
# controls (tab aside) and DEL are refused there.
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_LINE_BREAKS = str.maketrans("", "", "\t\n\r")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UriTooLong(ApiError):
    status, code = 414, "uri_too_long"


class HeadersTooLarge(ApiError):
    status, code = 431, "headers_too_large"


def problem(value: str, *, multiline: bool = False) -> str | None:
    """What makes VALUE unusable as text (a NUL, a control character, a lone surrogate), or
    None when it is fine. MULTILINE text (a review's note) may hold tabs and line breaks."""
    if "\x00" in value:
        return "holds a NUL character"
    if _SURROGATE.search(value):
        return "holds a lone surrogate (not valid Unicode)"
    found = _CONTROL.search(value.translate(_LINE_BREAKS) if multiline else value)
    if found:
        return f"holds the control character U+{ord(found.group()):04X}"
    return None


def check_text(where: str, value: str, longest: int) -> None:
    """400 naming WHERE when VALUE is not usable text or is over LONGEST characters."""
    if len(value) > longest:
        raise BadRequest(f"{where} is longer than {longest} characters")
    wrong = problem(value)
    if wrong:
        raise BadRequest(f"{where} {wrong}")


def check_request() -> None:
    environ = request.environ
    sent = len(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "") or len(request.full_path)
    if sent > MAX_URL:
        raise UriTooLong(f"the URL is {sent:,} characters long; the limit is {MAX_URL:,}")
    header_bytes = sum(len(name) + len(value) for name, value in request.headers.items())
    if header_bytes > MAX_HEADERS:
        raise HeadersTooLarge(
            f"the headers are {header_bytes:,} characters together; the limit is {MAX_HEADERS:,}"
        )
    for name, value in request.headers.items():
        found = _HEADER_CONTROL.search(value)
        if found:
            raise BadRequest(
                f"the header {name[:40]} holds the control character U+{ord(found.group()):04X}"
            )
    wrong = problem(request.path)
    if wrong:
        raise BadRequest(f"the path {wrong}")
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            check_text(name.replace("_", " "), value, MAX_PATH_VALUE)
    for name, value in request.args.items(multi=True):
        check_text(f"the query parameter {name[:40]!r}", name, 100)
        check_text(name, value, MAX_QUERY_VALUE)


# The page runs only its own scripts; inline style attributes stay (the bars and legends use
# them), images may be the API's own, a data: URL (the Grad-CAM overlay) or a blob: (the
# upload's preview).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Frame-Options"] = "DENY"
    return response


def register_guard(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(security_headers)
