"""Counters that add up field by field and print as a dict (load tallies, prune and write
counts)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Self


@dataclass
class Counts:
    def add(self, other: Self) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
