"""Prediction rows as write_predictions takes them, and the identity that makes rewriting one
create nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from graphkit.rowhash import digest

PROBABILITY_DIGITS = 6


def prediction_id(model_sha256: str, node_id: str, image_sha256: str, crop: Any) -> str:
    """The same weights on the same node's same image content (and tile) is one prediction.
    The node is part of it: duplicate files (the same WikiArt image under two styles) are two
    artworks, each with its own current prediction."""
    return f"prediction:{digest([model_sha256, node_id, image_sha256, crop])}"


def prediction_row(
    image: Mapping[str, Any],
    classes: Sequence[str],
    probabilities: Sequence[float],
    model_sha256: str,
    task: str,
    uncertain_below: float | None = None,
) -> dict[str, Any]:
    """IMAGE: a row of images/imaged_nodes; PROBABILITIES: one per class, in CLASSES order.
    UNCERTAIN_BELOW: the model's threshold (chosen on validation) under which its top answer
    is "uncertain" rather than a movement."""
    ranked = sorted(range(len(classes)), key=lambda i: -float(probabilities[i]))
    best = ranked[0]
    runner_up = float(probabilities[ranked[1]]) if len(ranked) > 1 else 0.0
    label = classes[best]
    return {
        "id": prediction_id(model_sha256, image["id"], image["image_sha256"], image["crop"]),
        "target": image["id"],
        "label": label,
        "score": float(probabilities[best]),
        # How far the likeliest class is ahead of the next: small means unsure.
        "margin": float(probabilities[best]) - runner_up,
        "probabilities": json.dumps(
            {
                c: round(float(p), PROBABILITY_DIGITS)
                for c, p in zip(classes, probabilities, strict=True)
            },
            sort_keys=True,
        ),
        "image_sha256": image["image_sha256"],
        "crop": image["crop"],
        "movement": label if task == "movement" else None,
        "uncertain": uncertain_below is not None
        and float(probabilities[best]) < float(uncertain_below),
    }
