"""What a source reader hands the loader: cleaned nodes, relationships, artists and rejects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graphkit.identity import ArtistRecord
from graphkit.model import REL_BY_NAME
from graphkit.normalize import clean_props


@dataclass
class Reject:
    source: str
    kind: str  # the label or relationship type the row would have become
    file: str
    row: str  # where in the file: a row number, an id, a path
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "kind": self.kind,
            "file": self.file,
            "row": self.row,
            "reason": self.reason,
        }


@dataclass
class NodeRow:
    id: str
    props: dict[str, Any]
    source_ids: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass
class RelRow:
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceBatch:
    """One source, read and cleaned. Artist endpoints of relationships are source ids
    (e.g. 'tate:artist:12'); the loader maps them to Artist nodes after identity resolution."""

    source: str
    nodes: dict[str, dict[str, NodeRow]] = field(default_factory=lambda: defaultdict(dict))
    artists: list[ArtistRecord] = field(default_factory=list)
    rels: dict[str, dict[tuple[str, str], RelRow]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)  # what each cleaning rule did
    attributions: dict[str, str] = field(default_factory=dict)  # artist ref → 'after', …

    def add_node(
        self,
        label: str,
        node_id: str,
        props: dict[str, Any],
        source_id: str | None = None,
        alias: str | None = None,
    ) -> None:
        """Add or complete a node; a later mention fills only what an earlier one lacked.
        ALIAS is another spelling of the node's name, kept in its `aliases`."""
        props = clean_props(props)
        row = self.nodes[label].get(node_id)
        if row is None:
            row = self.nodes[label][node_id] = NodeRow(node_id, {})
        for key, value in props.items():
            row.props.setdefault(key, value)
        if source_id and source_id not in row.source_ids:
            row.source_ids.append(source_id)
        if alias and alias not in row.aliases:
            row.aliases.append(alias)

    def has_node(self, label: str, node_id: str) -> bool:
        return node_id in self.nodes.get(label, {})

    def add_rel(
        self, rel_type: str, start: str, end: str, props: dict[str, Any] | None = None
    ) -> None:
        if rel_type not in REL_BY_NAME:
            raise ValueError(f"unknown relationship type {rel_type}")
        key = (start, end)
        existing = self.rels[rel_type].get(key)
        if existing is None:
            self.rels[rel_type][key] = RelRow(start, end, clean_props(props or {}))
        else:
            for name, value in clean_props(props or {}).items():
                existing.props.setdefault(name, value)

    def add_artist(self, record: ArtistRecord) -> None:
        self.artists.append(record)
        if record.attribution:
            self.attributions[record.source_id] = record.attribution

    def rule(self, rule: str, **details: Any) -> None:
        """Record what a cleaning rule did, for the rules report."""
        self.rules.append({"source": self.source, "rule": rule, **details})

    def reject(self, kind: str, file: str, row: Any, reason: str) -> None:
        self.rejects.append(Reject(self.source, kind, file, str(row), reason))

    def count_rows(self) -> int:
        return (
            sum(len(v) for v in self.nodes.values())
            + len(self.artists)
            + sum(len(v) for v in self.rels.values())
        )
