"""Classification figures from probabilities: top-1, top-5, macro F1, per-class precision and
recall, and the confusion matrix, as plain JSON-ready values."""

from __future__ import annotations

from typing import Any

import numpy as np


def classification_report(
    scores: np.ndarray, labels: np.ndarray, classes: list[str]
) -> dict[str, Any]:
    """SCORES [N, C] (logits or probabilities), LABELS [N] class indices."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    n = len(labels)
    if n == 0:
        return {"n": 0, "top1": None, "top5": None, "macro_f1": None, "per_class": {}}
    ranked = np.argsort(-scores, axis=1)
    predicted = ranked[:, 0]
    k = min(5, len(classes))
    present = np.arange(len(classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=present, zero_division=0
    )
    # Macro F1 over the classes that occur in the labels (a folder may hold only some).
    seen = support > 0
    return {
        "n": int(n),
        "top1": float((predicted == labels).mean()),
        "top5": float((ranked[:, :k] == labels[:, None]).any(axis=1).mean()),
        "macro_f1": float(f1[seen].mean()),
        "per_class": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "n": int(support[i]),
            }
            for i, name in enumerate(classes)
            if support[i] > 0 or (predicted == i).any()
        },
        "confusion": confusion_matrix(labels, predicted, labels=present).tolist(),
    }


def plot_confusion(report: dict[str, Any], classes: list[str], out: Any, title: str) -> None:
    """Row-normalised confusion matrix PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = np.asarray(report["confusion"], dtype=float)
    rows = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    fig, ax = plt.subplots(figsize=(9, 8))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(classes)), classes, fontsize=8)
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            colour = "white" if share[i, j] > 0.5 else "black"
            ax.text(j, i, int(value), ha="center", va="center", fontsize=7, color=colour)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def unseen_artist_report(
    logits: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    classes: list[str],
    uncertain_below: float | None = None,
) -> dict[str, Any]:
    """The classification report of calibrated LOGITS on artists never seen in training, each
    headline figure with its 95% interval by resampling the artists (GROUPS), the expected
    calibration error, and what the uncertain threshold answers and how precisely."""
    from sklearn.metrics import f1_score

    from ml.calibration import expected_calibration_error, softmax
    from ml.intervals import artist_bootstrap

    report = classification_report(logits, labels, classes)
    report.pop("confusion", None)
    if not len(labels):
        return report
    ranked = np.argsort(-logits, axis=1)
    k = min(5, len(classes))
    present = np.unique(labels)
    report["intervals"] = artist_bootstrap(
        groups,
        {
            "top1": lambda i: float((ranked[i, 0] == labels[i]).mean()),
            "top5": lambda i: float((ranked[i, :k] == labels[i, None]).any(axis=1).mean()),
            "macro_f1": lambda i: float(
                f1_score(labels[i], ranked[i, 0], labels=present, average="macro", zero_division=0)
            ),
        },
    )
    report["artists"] = len(np.unique(groups))
    probabilities = softmax(logits)
    report["ece"] = expected_calibration_error(probabilities, labels)
    if uncertain_below is not None:
        answered = probabilities.max(axis=1) >= uncertain_below
        right = probabilities.argmax(axis=1) == labels
        report["uncertain"] = {
            "threshold": uncertain_below,
            "coverage": float(answered.mean()),
            "precision": float(right[answered].mean()) if answered.any() else None,
        }
    return report
