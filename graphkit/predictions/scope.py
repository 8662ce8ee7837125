"""Which images a model run scores: those its model version has not yet scored as they are
now. `--scope new` takes only images no version of the model has scored, `--scope stale` only
those whose current prediction came from an older version or from other image content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphkit.store import GraphStore

SCOPES = ("all", "new", "stale")
REASONS = {"all": {"new", "stale", "other"}, "new": {"new"}, "stale": {"stale"}}


@dataclass(frozen=True)
class ModelVersion:
    id: str
    name: str
    version: int


def reason(
    image: Mapping[str, Any], current: Mapping[str, Any] | None, model: ModelVersion
) -> str | None:
    """'new', 'stale', 'other' (the current prediction is a newer version's), or None when
    MODEL already scored this content and there is nothing to do."""
    if current is None:
        return "new"
    same_content = (current["image_sha256"], current["crop"] or None) == (
        image["image_sha256"],
        image["crop"] or None,
    )
    if current["model_id"] == model.id and same_content:
        return None
    if not same_content or int(current["version"]) < model.version:
        return "stale"
    return "other"


def select(
    images: Iterable[Mapping[str, Any]],
    current: Mapping[str, Mapping[str, Any]],
    model: ModelVersion,
    scope: str,
) -> list[tuple[Mapping[str, Any], str]]:
    """(image, reason) for each image SCOPE takes; CURRENT: the model name's current
    prediction per node id (predictions/scored_state)."""
    if scope not in REASONS:
        raise ValueError(f"scope {scope!r}: use one of {', '.join(SCOPES)}")
    wanted = REASONS[scope]
    chosen = []
    for image in images:
        why = reason(image, current.get(image["id"]), model)
        if why in wanted:
            chosen.append((image, why))
    return chosen


def scored_state(store: GraphStore, model_name: str) -> dict[str, dict[str, Any]]:
    rows = store.read("predictions/scored_state", model=model_name).rows
    return {row["id"]: row for row in rows}
