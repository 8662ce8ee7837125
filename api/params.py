"""Query-string parameters, checked: a malformed value is a 400 that names the parameter."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request

from api.config import MAX_PAGE_SIZE
from api.errors import BadRequest
from api.guard import check_text

DEFAULT_PAGE_SIZE = 24
MAX_OFFSET = 1_000_000
MAX_TEXT = 200
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
# ASCII digits only: Python's int() and float() also take "1_0", Arabic-Indic and full-width
# digits, surrounding spaces, "nan" and "inf", none of which a client means as a number.
INTEGER = re.compile(r"-?[0-9]{1,12}")
# Decimals as any client's float formatting writes them: "0.73543055875796", "1e-05".
DECIMAL = re.compile(r"-?[0-9]{1,17}(\.[0-9]{0,20})?([eE][-+]?[0-9]{1,3})?")


def _integer(raw: str) -> int:
    if not INTEGER.fullmatch(raw):
        raise ValueError(raw)
    return int(raw)


def _decimal(raw: str) -> float:
    if not DECIMAL.fullmatch(raw):
        raise ValueError(raw)
    return float(raw)


def _ranged(name: str, convert: Callable[[str], Any], kind: str, minimum: Any, maximum: Any) -> Any:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = convert(raw)
    except ValueError:
        raise BadRequest(f"{name} must be {kind}, not {raw[:40]!r}") from None
    if not minimum <= value <= maximum:
        low, high = (f"{x:g}" if isinstance(x, float) else str(x) for x in (minimum, maximum))
        raise BadRequest(f"{name} must be between {low} and {high}, not {raw[:40]}")
    return value


def integer(name: str, default: int | None, *, minimum: int, maximum: int) -> int | None:
    value = _ranged(name, _integer, "an integer", minimum, maximum)
    return default if value is None else value


def number(name: str, *, minimum: float, maximum: float) -> float | None:
    """A decimal number in MINIMUM..MAXIMUM, or None when not given."""
    return _ranged(name, _decimal, "a number", minimum, maximum)


def boolean(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise BadRequest(f"{name} must be true or false, not {raw[:40]!r}")


def text(name: str, *, max_length: int = MAX_TEXT) -> str | None:
    """A free-text value, stripped; it only ever reaches Cypher as a parameter."""
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return None
    check_text(name, raw, max_length)
    return raw.strip()


def lowered(name: str) -> str | None:
    """A free-text value in lower case, for the queries' case-blind CONTAINS."""
    value = text(name)
    return value.lower() if value else None


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    def envelope(self, items: list[dict]) -> dict:
        """The list body: ITEMS were fetched with one extra row to tell whether more follow."""
        more = len(items) > self.limit
        return {
            "items": items[: self.limit],
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.offset + self.limit if more else None,
        }


def page(default: int = DEFAULT_PAGE_SIZE) -> Page:
    limit = integer("limit", default, minimum=1, maximum=MAX_PAGE_SIZE)
    offset = integer("offset", 0, minimum=0, maximum=MAX_OFFSET)
    assert limit is not None and offset is not None
    return Page(limit, offset)
