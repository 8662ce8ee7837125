"""`graphkit evaluate` for detectors: score a folder DIR/ai/... and DIR/human/..., print the
metrics, and with --plot write the ROC curve and confusion matrix as PNGs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from graphkit.errors import ImageError
from ml.artifacts import ModelMeta
from ml.detectors.metrics import binary_metrics

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
FOLDERS = {"ai": 1, "human": 0}


def labelled_files(images_dir: Path) -> list[tuple[Path, int]]:
    """Every file under DIR/ai and DIR/human (sorted), with its label (1 = ai)."""
    images_dir = Path(images_dir)
    if not images_dir.is_dir():
        raise ImageError(f"{images_dir}: no such folder")
    missing = [name for name in FOLDERS if not (images_dir / name).is_dir()]
    if missing:
        raise ImageError(
            f"{images_dir}: needs sub-folders ai/ and human/ (missing: {', '.join(missing)})"
        )
    files = [
        (path, label)
        for name, label in FOLDERS.items()
        for path in sorted((images_dir / name).rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]
    if not files:
        raise ImageError(f"{images_dir}: ai/ and human/ hold no files")
    return files


def evaluate(meta: ModelMeta, images_dir: Path, plot_dir: Path | None) -> dict[str, Any]:
    from ml.detectors.scorers import load_detector
    from ml.images import open_images

    assert meta.path is not None
    detector = load_detector(meta.path)
    files = labelled_files(images_dir)
    labels = dict(files)
    loaded, skipped = open_images(path for path, _ in files)
    if not loaded:
        raise ImageError(f"{images_dir}: no readable image ({len(skipped)} skipped)")
    y = np.array([labels[path] for path, _ in loaded])
    p_ai = detector.score_images([image for _, image in loaded])
    result = binary_metrics(y, p_ai)
    result.pop("accuracy")
    result["model"] = meta.kind
    result["skipped"] = [{"file": str(path), "reason": reason} for path, reason in skipped]
    if plot_dir is not None:
        result["plots"] = [str(p) for p in plot(y, p_ai, result, Path(plot_dir), meta.kind)]
    return result


def plot(
    y: np.ndarray, p_ai: np.ndarray, result: dict[str, Any], out: Path, name: str
) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    out.mkdir(parents=True, exist_ok=True)
    written = []
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    if len(np.unique(y)) == 2:
        fpr, tpr, _ = roc_curve(y, p_ai)
        ax.plot(fpr, tpr, label=f"{name} (AUC {result['roc_auc']:.3f})")
    ax.plot([0, 1], [0, 1], "k--", linewidth=0.8)
    ax.set_xlabel("false positive rate (human called ai)")
    ax.set_ylabel("true positive rate (ai found)")
    ax.set_title("ROC")
    ax.legend(loc="lower right")
    fig.tight_layout()
    written.append(out / "roc.png")
    fig.savefig(written[-1], dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4, 3.6))
    matrix = np.array(result["confusion_matrix"])
    ax.imshow(matrix, cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center")
    ax.set_xticks([0, 1], ["ai", "human"])
    ax.set_yticks([0, 1], ["ai", "human"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{name}: confusion matrix")
    fig.tight_layout()
    written.append(out / "confusion_matrix.png")
    fig.savefig(written[-1], dpi=100)
    plt.close(fig)
    return written


def evaluate_battery(settings: Any, meta: ModelMeta, dataset: str) -> dict[str, Any]:
    """The container-swap battery of DATASET's test split (artists the detector never saw):
    per transformation, overall and per source. Views come from the training cache when the
    detector's training computed them."""
    from graphkit.datasets.build import find_dataset
    from graphkit.store import open_store
    from ml.detectors.scorers import load_detector
    from ml.detectors.train import (
        SplitLoader,
        TrainRequest,
        battery_metrics,
        load_parts,
        part_groups,
        read_dataset,
    )

    assert meta.path is not None
    detector = load_detector(meta.path)
    with open_store(settings) as store:
        folder = find_dataset(store, dataset, settings.data_dir / "datasets")
    summary, manifest = read_dataset(folder)
    seed = int(meta.config.get("seed", 0))
    request = TrainRequest(meta.kind, dataset, meta.path, seed=seed, progress=False)
    loaders = [SplitLoader(settings, request, g, summary) for g in part_groups(set(detector.parts))]
    test = load_parts(loaders, manifest, "test", None)
    return {
        "model": detector.name,
        "dataset": summary["name"],
        "n": len(test.y),
        "battery": battery_metrics(detector.score_parts, test),
    }
