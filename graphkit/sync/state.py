"""The Source nodes: what each source was last loaded from (folder, file hashes) and how many
of the rows it no longer states are still in the graph."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.store import GraphStore
from graphkit.sync.files import SourceFiles


@dataclass(frozen=True)
class SourceState:
    name: str
    path: Path
    files_sha256: str
    files: dict[str, str] = field(default_factory=dict)
    removed: int = 0  # rows gone from the source, kept until a sync with --prune


def source_id(name: str) -> str:
    return f"source:{name}"


def read_states(store: GraphStore, name: str | None = None) -> dict[str, SourceState]:
    rows = store.read("sync/source_states", source=name).rows
    return {
        row["name"]: SourceState(
            row["name"],
            Path(row["path"]),
            row["files_sha256"],
            json.loads(row["files"] or "{}"),
            int(row["removed"] or 0),
        )
        for row in rows
    }


def save_state(store: GraphStore, name: str, files: SourceFiles, removed: int) -> None:
    row = {
        "id": source_id(name),
        "name": name,
        "path": files.root,
        "files_sha256": files.digest,
        "files": json.dumps(files.hashes, sort_keys=True),
        "file_count": len(files.hashes),
        "removed": removed,
    }
    store.write("sync/save_source_state", row=row)
