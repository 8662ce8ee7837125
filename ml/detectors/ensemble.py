"""The default detector (`detector`): a logistic regression over the logits of its members'
calibrated probabilities, fitted on the validation split. Which members earn their place is
chosen on validation too: every non-empty set of the detectors trained is scored by
cross-validation over validation artists on the whole battery, and the best mean balanced
accuracy wins (fewer members on a tie). The members stay in their own directories; the
ensemble records each one's weights sha256 and refuses to load a member that changed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graphkit.errors import ModelError
from ml.artifacts import ModelMeta
from ml.calibration import binary_probabilities, expected_calibration_error
from ml.detectors.metrics import balanced_accuracy
from ml.linear import fit_logistic

ENSEMBLE_FILE = "ensemble.json"
EPS = 1e-4
FOLDS = 3
C = 1.0  # few inputs, many rows: light regularisation


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, np.float64), EPS, 1.0 - EPS)
    return np.log(p / (1.0 - p))


@dataclass
class Stacker:
    members: list[str]  # member names (their directories beside the ensemble's)
    weight: np.ndarray  # [M]
    bias: float

    def p_ai(self, member_scores: Sequence[np.ndarray]) -> np.ndarray:
        x = np.stack([_logit(s) for s in member_scores], axis=1)
        return (1.0 / (1.0 + np.exp(-(x @ self.weight + self.bias)))).astype(np.float32)


def fit_stacker(scores: np.ndarray, y: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """SCORES [N, M] members' P(ai) -> (weight [M], bias) of the logistic regression."""
    model = fit_logistic(_logit(scores), y, 2, C, weights, threads=1)
    return model.weight[:, 1] - model.weight[:, 0], float(model.bias[1] - model.bias[0])


def _folds(groups: np.ndarray) -> list[np.ndarray]:
    from ml.movement.probe import artist_folds

    return artist_folds(groups, FOLDS)


def choose_members(
    scores: dict[str, np.ndarray],
    y: np.ndarray,
    groups: np.ndarray,
    transforms: np.ndarray,
    weights: np.ndarray,
) -> dict[str, Any]:
    """SCORES: member -> P(ai) [N] on the validation battery (every transformation's rows,
    TRANSFORMS naming each row's). Returns the chosen members, the out-of-fold figures of
    every set tried, and the chosen set's out-of-fold calibration error."""
    names = sorted(scores)
    folds = _folds(groups)
    tried = []
    for size in range(1, len(names) + 1):
        for subset in itertools.combinations(names, size):
            x = np.stack([scores[n] for n in subset], axis=1)
            oof = np.zeros(len(y))
            for held in folds:
                keep = np.setdiff1d(np.arange(len(y)), held)
                w, b = fit_stacker(x[keep], y[keep], weights[keep])
                oof[held] = 1.0 / (1.0 + np.exp(-(_logit(x[held]) @ w + b)))
            per = {
                str(t): balanced_accuracy(y[transforms == t], oof[transforms == t])
                for t in np.unique(transforms)
            }
            tried.append(
                {
                    "members": list(subset),
                    "mean_balanced_accuracy": float(np.nanmean(list(per.values()))),
                    "per_transformation": per,
                    "ece": expected_calibration_error(binary_probabilities(oof), 1 - y),
                }
            )
    best = max(tried, key=lambda r: (round(r["mean_balanced_accuracy"], 4), -len(r["members"])))
    return {"members": best["members"], "ece_out_of_fold": best["ece"], "tried": tried}


def save_ensemble(out_dir: Path, stacker: Stacker, member_sha256: dict[str, str]) -> None:
    data = {
        "members": [{"name": n, "weights_sha256": member_sha256[n]} for n in stacker.members],
        "weight": [float(v) for v in stacker.weight],
        "bias": stacker.bias,
    }
    (Path(out_dir) / ENSEMBLE_FILE).write_text(json.dumps(data, indent=2) + "\n", "utf-8")


def load_members(meta: ModelMeta, runtime: str | None) -> tuple[Stacker, list[Any]]:
    """The stacker and its member detectors, each loaded from the directory beside the
    ensemble's and refused when its weights are not the ones the ensemble was fitted on."""
    from ml.detectors.scorers import load_detector
    from ml.registry import weights_sha256

    path = meta.file(ENSEMBLE_FILE)
    try:
        data = json.loads(path.read_text("utf-8"))
        entries = [(str(m["name"]), str(m["weights_sha256"])) for m in data["members"]]
        weight = np.asarray(data["weight"], np.float64)
        bias = float(data["bias"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: unreadable ({exc})") from exc
    assert meta.path is not None
    members = []
    for name, sha in entries:
        member = load_detector(meta.path.parent / name, runtime)
        if weights_sha256(member.meta) != sha:
            raise ModelError(
                f"{meta.path}: member {name} changed since the ensemble was fitted on it; "
                "retrain the ensemble (graphkit train detector --kind ensemble)"
            )
        members.append(member)
    return Stacker([n for n, _ in entries], weight, bias), members
