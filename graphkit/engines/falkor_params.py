"""FalkorDB takes parameters as a `CYPHER name=value ...` header of Cypher literals.

The official client builds it with the same rules as here; this version dispatches on exact
types, which makes encoding a 5,000-row batch several times faster (it was a third of the load
time). Anything unusual falls back to the client's own encoder, and a test checks both agree.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from falkordb.helpers import stringify_param_value

from graphkit.errors import QueryError


@lru_cache(maxsize=4096)
def _key(name: Any) -> str | None:
    """'`name`:' for a map key, None for one only the client's encoder may judge. Cached: a
    batch repeats the same few keys in every row."""
    if type(name) is str and name and "`" not in name:
        return f"`{name}`:"
    return None


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is float and not math.isfinite(value):
        # FalkorDB's parameter syntax has no literal for them; the query would fail to parse.
        raise ValueError(f"{value} cannot be sent to FalkorDB (no NaN or infinity): use null")
    if kind is int or kind is float or kind is bool:
        return str(value)
    if value is None:
        return "null"
    if kind is list or kind is tuple:
        return "[" + ",".join([encode(item) for item in value]) + "]"
    if kind is dict:
        parts = []
        for name, item in value.items():
            key = _key(name)
            if key is None:
                return stringify_param_value(value)
            parts.append(key + encode(item))
        return "{" + ",".join(parts) + "}"
    return stringify_param_value(value)  # bytes, odd keys, subclasses: the client's rules


def params_header(params: dict[str, Any]) -> str:
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        if not name or "`" in name:
            raise QueryError(f"parameter name {name!r} is not allowed (empty or with a backtick)")
        try:
            parts.append(f"`{name}`={encode(value)} ")
        except ValueError as exc:  # a backtick in a map key, NaN, infinity
            raise QueryError(f"parameter ${name}: {exc}") from exc
    return "CYPHER " + "".join(parts)
