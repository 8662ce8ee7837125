"""Content hashes of the rows a source states, and the keys that name those rows in the graph.

Every node and relationship the loader writes keeps, per source, a hash of the row that source
stated (`row_hashes`, entries "SOURCE:HASH"). `graphkit sync` compares them with a fresh read
of the source to tell added, changed, unchanged and removed rows apart before writing anything.
Hashes are taken from what the source says, not from what the graph-dependent rules made of it
(gap-filling artist facts, dates dropped for another source's lifespan), so that reading an
unchanged source again gives the same hashes whatever else the graph holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from graphkit.identity import ArtistRecord
from graphkit.records import SourceBatch

# (label, id) for a node, (relationship type, "START_ID|END_ID") for a relationship.
RowKey = tuple[str, str]
DIGEST_HEX = 32  # 128 bits: collisions are out of reach at a few million rows


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_HEX]


def row_key(kind: str, row: Mapping[str, Any]) -> RowKey:
    if "id" in row:
        return (kind, str(row["id"]))
    return (kind, f"{row['start']}|{row['end']}")


def node_digests(batch: SourceBatch) -> dict[RowKey, str]:
    """The hash of every node row in BATCH (artists aside: see artist_digest)."""
    return {
        (label, row.id): digest([row.props, row.source_ids, row.aliases])
        for label, rows in batch.nodes.items()
        for row in rows.values()
    }


def artist_digest(records: list[ArtistRecord]) -> str:
    """An Artist node's row is every record of the source that names that person."""
    return digest(
        sorted(
            digest(
                [r.source_id, r.name, r.birth_year, r.death_year, r.props, r.aliases, r.attribution]
            )
            for r in records
        )
    )


def rel_digest(row: Mapping[str, Any]) -> str:
    return digest([row["start"], row["end"], row["props"]])
