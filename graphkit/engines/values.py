"""Driver objects to plain values (maps, lists, strings, numbers), the same on every engine.

Nodes become their properties plus `_labels`; relationships their properties plus `_type`;
paths `{"nodes": [...], "relationships": [...]}`; temporal values ISO-8601 strings; points
`{"srid", "x", "y"[, "z"]}`. Each engine supplies a converter for its own objects; the walk
through maps and lists is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# A converter returns NOT_MINE for values it does not know, which are then walked or kept.
NOT_MINE = object()
Converter = Callable[[Any, Callable[[Any], Any]], Any]


def to_plain(value: Any, convert: Converter) -> Any:
    def walk(item: Any) -> Any:
        if item is None or isinstance(item, str | int | float | bool):
            return item
        converted = convert(item, walk)
        if converted is not NOT_MINE:
            return converted
        if isinstance(item, dict):
            return {key: walk(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [walk(inner) for inner in item]
        return item

    return walk(value)


def path_value(nodes: list[Any], relationships: list[Any], walk: Callable[[Any], Any]) -> dict:
    return {"nodes": [walk(n) for n in nodes], "relationships": [walk(r) for r in relationships]}
