"""Write predictions in batches; each batch is one idempotent transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphkit.counts import Counts
from graphkit.store import GraphStore

DEFAULT_WRITE_BATCH = 500  # predictions per write transaction


@dataclass
class WriteCounts(Counts):
    written: int = 0  # rows whose node was found (the others vanished meanwhile)
    created: int = 0  # new Prediction nodes; the rest existed already
    demoted: int = 0  # older predictions that stopped being current


def write_predictions(store: GraphStore, model_id: str, rows: list[dict[str, Any]]) -> WriteCounts:
    if not rows:
        return WriteCounts()
    result = store.write("predictions/write_predictions", model_id=model_id, rows=rows)
    row = result.rows[0] if result.rows else {}
    return WriteCounts(
        int(row.get("written") or 0), int(row.get("created") or 0), int(row.get("demoted") or 0)
    )
