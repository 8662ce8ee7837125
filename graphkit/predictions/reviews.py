"""People's decisions about predictions: a Review of an artwork (or generated image) that
confirms or corrects the current predictions whose model knows the label given."""

from __future__ import annotations

import getpass
import uuid
from typing import Any

from graphkit.errors import ReviewError
from graphkit.predictions.curator import current
from graphkit.store import GraphStore


def reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


def record_review(
    store: GraphStore,
    node_id: str,
    label: str,
    *,
    note: str | None = None,
    by: str | None = None,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """Record LABEL for NODE_ID; returns one row per prediction it confirms or corrects.
    MODEL limits it to one model's prediction."""
    predictions = current(store, node_id=node_id, model=model, limit=1000)
    if not predictions:
        which = f" by {model}" if model else ""
        raise ReviewError(
            f"no current prediction{which} about {node_id!r} to review: check the id, or "
            "score it first (graphkit predict --model ...)"
        )
    fitting = [p for p in predictions if label in (p["classes"] or [])]
    if not fitting:
        known = "; ".join(f"{p['model']}: {', '.join(p['classes'] or [])}" for p in predictions)
        raise ReviewError(f"{label!r} is no class of the models that scored {node_id!r} ({known})")
    review = {
        "id": f"review:{uuid.uuid4().hex}",
        "artwork_id": node_id,
        "label": label,
        "task": fitting[0]["task"],
        "note": note,
        "by": by or reviewer(),
    }
    ids = [p["prediction"] for p in fitting if p["task"] == review["task"]]
    return store.write("reviews/save_review", review=review, predictions=ids).rows
