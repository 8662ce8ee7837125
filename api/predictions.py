"""Prediction rows made fit for clients: probabilities parsed from their JSON, a detector's
P(AI-generated) named as such, the image of what a prediction is about as /media URLs; and a
label typed by a person matched to the classes the registered models know."""

from __future__ import annotations

import json
from typing import Any

from api import db
from api.cards import with_image

AI = "ai"  # a detector's class for AI-generated images


def probabilities(text: str | None) -> dict[str, float] | None:
    """The stored JSON of class probabilities (neither engine stores maps)."""
    return json.loads(text) if text else None


def readable(prediction: dict[str, Any]) -> dict[str, Any]:
    """PREDICTION with its probabilities as a map, and `p_ai` for a detector's."""
    out = dict(prediction)
    if "probabilities" in out:
        out["probabilities"] = probabilities(out["probabilities"])
        if out.get("task") == "detector":
            out["p_ai"] = (out["probabilities"] or {}).get(AI)
    return out


def newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-(r.get("created_at") or 0), r.get("model") or ""))


def prediction_cards(ids: list[str]) -> list[dict[str, Any]]:
    """The predictions IDS, in the order given, with what they are about."""
    if not ids:
        return []
    by_id = {row["id"]: row for row in db.rows("api/prediction_cards", ids=ids)}
    return [with_image(readable(by_id[i])) for i in ids if i in by_id]


def known_label(text: str | None) -> str | None:
    """TEXT as the class a registered model spells it ('AI' -> 'ai', 'baroque' -> 'Baroque');
    as typed when no model knows it (it then matches nothing)."""
    if text is None:
        return None
    classes = {c for row in db.rows("models/list_models", model=None) for c in row["classes"] or []}
    if text in classes:
        return text
    return next((c for c in sorted(classes) if c.lower() == text.lower()), text)
