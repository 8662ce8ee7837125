"""Remove the rows a source no longer states: the source leaves their `sources`, and nodes and
relationships that no source states any more are deleted (a node two sources state survives
the loss of one). Each step is idempotent and the deletion looks for every orphan, not only
this run's, so a sync interrupted half-way is finished by the next."""

from __future__ import annotations

from dataclasses import dataclass

from graphkit.counts import Counts
from graphkit.loader import DEFAULT_BATCH_SIZE, chunks
from graphkit.model import REL_BY_NAME
from graphkit.rowhash import RowKey
from graphkit.store import GraphStore

DELETE_BATCH = 10_000


@dataclass
class PruneCounts(Counts):
    released_nodes: int = 0
    released_relationships: int = 0
    deleted_nodes: int = 0
    deleted_relationships: int = 0
    deleted_predictions: int = 0


def prune(store: GraphStore, source: str, removed: list[RowKey]) -> PruneCounts:
    counts = PruneCounts()
    rel_keys = [f"{kind}|{ends}" for kind, ends in removed if kind in REL_BY_NAME]
    node_ids = [ident for kind, ident in removed if kind not in REL_BY_NAME]
    for part in chunks(rel_keys, DEFAULT_BATCH_SIZE):
        result = store.write("sync/release_relationships", source=source, keys=list(part))
        counts.released_relationships += int(result.value("released") or 0)
    for part in chunks(node_ids, DEFAULT_BATCH_SIZE):
        result = store.write("sync/release_nodes", source=source, ids=list(part))
        counts.released_nodes += int(result.value("released") or 0)
    delete_orphans(store, counts)
    return counts


def delete_orphans(store: GraphStore, counts: PruneCounts) -> None:
    while True:
        result = store.write("sync/delete_orphan_relationships", limit=DELETE_BATCH)
        deleted = int(result.value("deleted") or 0)
        counts.deleted_relationships += deleted
        if deleted < DELETE_BATCH:
            break
    while True:
        row = store.write("sync/delete_orphan_nodes", limit=DELETE_BATCH).rows
        deleted = int(row[0]["deleted"] or 0) if row else 0
        counts.deleted_nodes += deleted
        counts.deleted_predictions += int(row[0]["predictions"] or 0) if row else 0
        if deleted < DELETE_BATCH:
            break
