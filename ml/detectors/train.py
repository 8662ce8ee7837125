"""`graphkit train detector`: find (or build) the detector dataset, load its images once,
train the chosen kind, measure it on the test split (plain and re-saved as JPEG 75, overall and
per source), and write the model directory."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np
import pandas as pd

from graphkit.datasets.build import BuildOptions, build_dataset, dataset_id, find_dataset
from graphkit.datasets.manifest import read_manifest, read_summary
from graphkit.errors import DatasetError
from graphkit.settings import Settings
from ml.artifacts import ModelMeta, save_model_dir
from ml.detectors import preprocess, spectra
from ml.detectors.data import CLASSES, JPEG75, PLAIN, TRAIN_VARIANTS, Split, load_split
from ml.detectors.metrics import per_source_metrics
from ml.detectors.preprocess import Augment
from ml.detectors.scorers import GFNET_ONNX, GFNET_WEIGHTS, SVM_FILE

DEFAULT_DATASET = "detector"
LABEL_VIA = "source-kind"
# A seeded sample of each class per split (all AIC photographs are kept): the SVM fits 2 x 2,500
# crops in about a minute; the GFNet gets fewer, to train in minutes on 2 shared cores.
TRAIN_PER_CLASS = {"svm-dct": 2500, "gfnet": 1200}
VAL_PER_CLASS = 300


@dataclass(frozen=True)
class TrainRequest:
    kind: str
    dataset: str | None
    out_dir: Path
    seed: int = 0
    max_per_split: int | None = None  # quick runs: at most this many of each class per split
    progress: bool = True
    dataset_dir: Path | None = None  # a built dataset's folder, used as it is (no graph needed)


def _say(message: str) -> None:
    click.echo(message, err=True)


def resolve_dataset(settings: Settings, name: str | None, seed: int) -> Path:
    """The folder of dataset NAME, or build the default detector dataset from the graph."""
    from graphkit.store import open_store

    root = settings.data_dir / "datasets"
    with open_store(settings) as store:
        if name is not None:
            return find_dataset(store, name, root)
        _say(f"building dataset {DEFAULT_DATASET!r} from {store.engine.describe()}")
        out = root / DEFAULT_DATASET
        build_dataset(store, DEFAULT_DATASET, BuildOptions(LABEL_VIA, seed=seed), out)
        return out


def load_splits(
    folder: Path, settings: Settings, request: TrainRequest
) -> tuple[dict[str, Any], dict[str, Split]]:
    summary = read_summary(folder)
    if summary.get("label_via") != LABEL_VIA:
        raise DatasetError(
            f"dataset {summary.get('name')!r} is labelled via {summary.get('label_via')}, not "
            f"{LABEL_VIA}: build one with graphkit dataset build NAME --label-via {LABEL_VIA}"
        )
    manifest = read_manifest(folder)
    cap = request.max_per_split
    cache = settings.data_dir / "ml-cache" / "detector"
    common = {"cache_dir": cache, "seed": request.seed, "progress": request.progress}
    splits = {
        "train": load_split(
            manifest,
            summary["manifest_sha256"],
            "train",
            TRAIN_VARIANTS,
            max_per_class=cap or TRAIN_PER_CLASS[request.kind],
            **common,
        ),
        "val": load_split(
            manifest,
            summary["manifest_sha256"],
            "val",
            [PLAIN, JPEG75],
            max_per_class=cap or VAL_PER_CLASS,
            **common,
        ),
        "test": load_split(
            manifest,
            summary["manifest_sha256"],
            "test",
            [PLAIN, JPEG75],
            max_per_class=cap,
            **common,
        ),
    }
    return summary, splits


def test_metrics(score, test: Split) -> dict[str, Any]:
    """Per-source metrics on the test split as stored and after JPEG 75 re-compression."""
    return {
        variant: per_source_metrics(
            test.y, score(test.variant(variant), test.variant_spectra(variant)), test.sources
        )
        for variant in (PLAIN, JPEG75)
    }


def train_detector(settings: Settings, request: TrainRequest) -> ModelMeta:
    folder = request.dataset_dir or resolve_dataset(settings, request.dataset, request.seed)
    summary, splits = load_splits(folder, settings, request)
    out = Path(request.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if request.kind == "svm-dct":
        weights, config, extra = _train_svm(out, splits, request)
    else:
        weights, config, extra = _train_gfnet(out, splits, request)
    train_seconds = round(time.perf_counter() - started, 1)
    metrics = {
        "test": extra.pop("test"),
        "train_seconds": train_seconds,
        "split_sizes": {name: len(split.y) for name, split in splits.items()},
        **extra,
    }
    meta = ModelMeta(
        task="detector",
        kind=request.kind,
        classes=list(CLASSES),
        weights={name: "" for name in weights},
        config={
            **config,
            "seed": request.seed,
            "max_per_split": request.max_per_split,
            "train_per_class": request.max_per_split or TRAIN_PER_CLASS[request.kind],
            "augment": Augment().to_json(),
        },
        preprocessing={
            **preprocess.preprocessing_config(),
            "spectra": spectra.spectra_config(),
        },
        metrics=metrics,
        dataset_id=dataset_id(summary["name"]),
    )
    meta.config["dataset"] = {
        "name": summary["name"],
        "manifest_sha256": summary["manifest_sha256"],
        "query_hash": summary["query_hash"],
    }
    save_model_dir(out, meta)
    overall = metrics["test"][PLAIN]["overall"]["balanced_accuracy"]
    _say(f"{request.kind}: test balanced accuracy {overall} in {train_seconds} s → {out}")
    return meta


def _train_svm(
    out: Path, splits: dict[str, Split], request: TrainRequest
) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    import joblib

    from ml.detectors.svm_dct import SVMTraining, fit_svm, predict_svm

    training = SVMTraining()
    if request.progress:
        _say("svm-dct: cross-validating C on the training split")
    model, report = fit_svm(splits["train"], training, request.seed)
    joblib.dump(model, out / SVM_FILE)

    def score(canvases: np.ndarray, block_spectra: np.ndarray) -> np.ndarray:
        return predict_svm(model, preprocess.centre(np.asarray(canvases)), block_spectra)

    extra = {"test": test_metrics(score, splits["test"]), "cross_validation": report}
    return [SVM_FILE], {"training": training.to_json()}, extra


def _train_gfnet(
    out: Path, splits: dict[str, Split], request: TrainRequest
) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    import torch

    from ml.detectors.gfnet import GFNetConfig
    from ml.detectors.onnx_export import (
        TOLERANCE,
        export_onnx,
        max_difference,
        onnx_predict,
        onnx_session,
    )
    from ml.detectors.train_gfnet import GFNetTraining, fit_gfnet, predict_torch

    config, training = GFNetConfig(), GFNetTraining()
    log = _say if request.progress else None
    model, history = fit_gfnet(
        splits["train"],
        splits["val"],
        config,
        training,
        request.seed,
        progress=request.progress,
        log=log,
    )
    torch.save(model.state_dict(), out / GFNET_WEIGHTS)
    export_onnx(model, out / GFNET_ONNX, config)
    session = onnx_session(out / GFNET_ONNX)
    test = splits["test"]
    views = preprocess.centre(np.asarray(test.variant(PLAIN))), test.variant_spectra(PLAIN)
    difference = max_difference(predict_torch(model, *views), onnx_predict(session, *views))
    if difference > TOLERANCE:
        raise RuntimeError(f"ONNX and PyTorch scores differ by {difference:.2e}")

    def score(canvases: np.ndarray, block_spectra: np.ndarray) -> np.ndarray:
        return onnx_predict(session, preprocess.centre(np.asarray(canvases)), block_spectra)

    extra = {
        "test": test_metrics(score, splits["test"]),
        "history": history,
        "onnx_max_abs_difference": difference,
    }
    return (
        [GFNET_WEIGHTS, GFNET_ONNX],
        {"model": config.to_json(), "training": training.to_json()},
        extra,
    )


def metrics_table(meta: ModelMeta) -> pd.DataFrame:
    """Test metrics as rows (variant, subset) for printing."""
    rows = []
    for variant, subsets in meta.metrics["test"].items():
        for subset, values in subsets.items():
            rows.append({"variant": variant, "subset": subset, **values})
    return pd.DataFrame(rows)


def dumps(meta: ModelMeta) -> str:
    return json.dumps(meta.metrics, indent=2)
