"""What a source's fresh read changes in the graph, row by row: rows added, changed (another
content hash), unchanged, and removed (stored for the source, absent from it now)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from graphkit.rowhash import RowKey
from graphkit.store import GraphStore

# A node or relationship of the source whose row was written before hashes were kept.
UNKNOWN = None


def stored_hashes(store: GraphStore, source: str) -> dict[RowKey, str | None]:
    """Every row SOURCE has in the graph, by key, with the hash it was written with."""
    stored: dict[RowKey, str | None] = {}
    for query in ("sync/stored_node_hashes", "sync/stored_relationship_hashes"):
        for row in store.read(query, source=source).rows:
            # "SOURCE:HASH|KIND|ID" or "…|TYPE|START|END": neither hash nor kind holds a "|".
            entry, kind, ident = row["row"].split("|", 2)
            stored[(kind, ident)] = entry.removeprefix(f"{source}:") or UNKNOWN
    return stored


@dataclass
class Delta:
    added: dict[str, list[RowKey]] = field(default_factory=dict)
    changed: dict[str, list[RowKey]] = field(default_factory=dict)
    unchanged: Counter[str] = field(default_factory=Counter)
    removed: dict[str, list[RowKey]] = field(default_factory=dict)

    def total(self, part: str) -> int:
        if part == "unchanged":
            return sum(self.unchanged.values())
        return sum(len(keys) for keys in getattr(self, part).values())

    def removed_keys(self) -> list[RowKey]:
        return [key for keys in self.removed.values() for key in keys]

    def kinds(self) -> list[str]:
        seen = [*self.added, *self.changed, *self.unchanged, *self.removed]
        return list(dict.fromkeys(seen))

    def as_dict(self) -> dict[str, object]:
        def listed(part: dict[str, list[RowKey]]) -> dict[str, list[str]]:
            return {kind: [ident for _, ident in keys] for kind, keys in part.items()}

        return {
            "added": listed(self.added),
            "changed": listed(self.changed),
            "unchanged": dict(self.unchanged),
            "removed": listed(self.removed),
        }


def compare(fresh: Mapping[RowKey, str], stored: Mapping[RowKey, str | None]) -> Delta:
    delta = Delta()
    for key, digest in fresh.items():
        kind = key[0]
        if key not in stored:
            delta.added.setdefault(kind, []).append(key)
        elif stored[key] != digest:
            delta.changed.setdefault(kind, []).append(key)
        else:
            delta.unchanged[kind] += 1
    for key in stored:
        if key not in fresh:
            delta.removed.setdefault(key[0], []).append(key)
    return delta
