"""`graphkit train detector`: find (or build) the detector dataset, turn its images into the
parts the chosen kind reads (random views for training, the container-swap battery for
validation and test), train, choose on validation, measure the test battery once, and write
the model directory. `--kind ensemble` combines the detectors already trained beside it."""

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
from graphkit.errors import DatasetError, ModelError
from graphkit.settings import Settings
from ml.artifacts import ModelMeta, save_model_dir
from ml.detectors import spectra
from ml.detectors.battery import TRANSFORMS
from ml.detectors.containers import CANONICAL, Recipe
from ml.detectors.data import (
    CLASSES,
    FEATURES_VERSION,
    VIEWS,
    Split,
    load_split,
    train_variants,
)
from ml.detectors.metrics import per_source_metrics
from ml.detectors.scorers import GFNET_ONNX, GFNET_WEIGHTS, PARTS_OF, SVM_FILE
from ml.detectors.views import CROP

DEFAULT_DATASET = "detector"
LABEL_VIA = "source-kind"
ENSEMBLE_DIR = "detector"  # the default detector's directory under the models root
# A seeded sample of each class per split (every AIC photograph is kept). Each training image
# gives VIEWS random views. Each kind computes and caches only its own parts: svm-dct once
# computed the backbone's statistics too, which made every svm-dct training pay for the
# backbone (most of its time) although the main job no longer trains svm-dct.
TRAIN_PER_CLASS = {"svm-dct": 2000, "backbone": 2000, "gfnet": 1200}
VAL_PER_CLASS = 300
MEMBER_KINDS = ("svm-dct", "backbone", "gfnet")


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


def read_dataset(folder: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    summary = read_summary(folder)
    if summary.get("label_via") != LABEL_VIA:
        raise DatasetError(
            f"dataset {summary.get('name')!r} is labelled via {summary.get('label_via')}, not "
            f"{LABEL_VIA}: build one with graphkit dataset build NAME --label-via {LABEL_VIA}"
        )
    return summary, read_manifest(folder)


class SplitLoader:
    """Loads splits of one dataset with one set of parts, through the cache."""

    def __init__(
        self, settings: Settings, request: TrainRequest, parts: tuple[str, ...], summary: dict
    ) -> None:
        self.request, self.parts, self.summary = request, parts, summary
        self.cache = settings.data_dir / "ml-cache" / "detector"
        self.runner = None
        if "stats" in parts:
            from ml.backbone.features import cache_folder
            from ml.backbone.runner import BackboneRunner
            from ml.movement.backbones import PROBE_SPECS

            self.runner = BackboneRunner(
                PROBE_SPECS["lite0"], cache_folder(settings.data_dir) / "onnx"
            )

    def load(self, manifest: pd.DataFrame, split: str, per_class: int | None) -> Split:
        cap = self.request.max_per_split
        variants = train_variants() if split == "train" else TRANSFORMS
        if self.request.progress:
            _say(f"{split}: views of up to {cap or per_class or 'all'} images a class")
        return load_split(
            manifest,
            self.summary["manifest_sha256"],
            split,
            variants,
            self.parts,
            cache_dir=self.cache,
            max_per_class=cap or per_class,
            seed=self.request.seed,
            stats_runner=self.runner.run if self.runner is not None else None,
            stats_version=self.runner.spec.version if self.runner is not None else None,
            progress=self.request.progress,
        )


def part_groups(wanted: set[str]) -> list[tuple[str, ...]]:
    """The cached part sets that hold WANTED: each kind's training computes and caches its
    own parts (PARTS_OF), so loading by those sets reads the cache instead of decoding every
    image again for a new combination."""
    return [own for own in PARTS_OF.values() if set(own) & wanted]


def load_parts(
    loaders: list[SplitLoader], manifest: pd.DataFrame, split: str, per_class: int | None
) -> Split:
    """One split holding every loader's parts (the same rows and variants in each)."""
    loaded = [loader.load(manifest, split, per_class) for loader in loaders]
    first = loaded[0]
    for other in loaded[1:]:
        same_rows = other.rows["artwork_id"].tolist() == first.rows["artwork_id"].tolist()
        if not same_rows or other.variants != first.variants:
            raise ModelError(f"{split}: the cached views of the members disagree on their rows")
    parts = {name: array for one in loaded for name, array in one.parts.items()}
    return Split(first.rows, first.variants, parts)


def battery_metrics(score, split: Split) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Per-source metrics for every transformation of the battery: SCORE(parts) -> P(ai)."""
    out = {}
    for variant in split.variants:
        parts = {name: split.part(name, variant) for name in split.parts}
        out[variant] = per_source_metrics(split.y, np.asarray(score(parts)), split.sources)
    return out


def train_detector(settings: Settings, request: TrainRequest) -> ModelMeta:
    folder = request.dataset_dir or resolve_dataset(settings, request.dataset, request.seed)
    summary, manifest = read_dataset(folder)
    out = Path(request.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if request.kind == "ensemble":
        weights, config, extra, preprocessing = _train_ensemble(
            settings, out, manifest, summary, request
        )
    else:
        loader = SplitLoader(settings, request, PARTS_OF[request.kind], summary)
        per_class = TRAIN_PER_CLASS[request.kind]
        splits = {
            "train": loader.load(manifest, "train", per_class),
            "val": loader.load(manifest, "val", VAL_PER_CLASS),
            "test": loader.load(manifest, "test", None),
        }
        train = {"svm-dct": _train_svm, "backbone": _train_backbone, "gfnet": _train_gfnet}
        weights, config, extra = train[request.kind](out, splits, request, loader)
        preprocessing = _preprocessing(loader)
    train_seconds = round(time.perf_counter() - started, 1)
    metrics = {"test": extra.pop("test"), "train_seconds": train_seconds, **extra}
    meta = ModelMeta(
        task="detector",
        kind=request.kind,
        classes=list(CLASSES),
        weights={name: "" for name in weights},
        config={
            **config,
            "seed": request.seed,
            "max_per_split": request.max_per_split,
            "views_per_training_image": VIEWS,
            "recipe": Recipe().to_json(),
        },
        preprocessing=preprocessing,
        metrics=metrics,
        dataset_id=dataset_id(summary["name"]),
    )
    meta.config["dataset"] = {
        "name": summary["name"],
        "manifest_sha256": summary["manifest_sha256"],
        "query_hash": summary["query_hash"],
    }
    save_model_dir(out, meta)
    stored = metrics["test"]["as_stored"]["overall"]["balanced_accuracy"]
    swaps = metrics["test"]["both_swaps"]["overall"]["balanced_accuracy"]
    _say(
        f"{request.kind}: test balanced accuracy {stored} as stored, {swaps} with both "
        f"containers swapped, in {train_seconds} s → {out}"
    )
    return meta


def _preprocessing(loader: SplitLoader) -> dict[str, Any]:
    out: dict[str, Any] = {
        "canonical": (
            f"short side to {CANONICAL} px, centre square: the square box-averaged by its whole"
            f" factor over {CANONICAL} px, then bilinear"
        ),
        "crop": CROP,
        "spectra": {**spectra.spectra_config(), "blocks": "all 16 of the canonical square"},
        "battery": list(TRANSFORMS),
        "features": FEATURES_VERSION,
    }
    if loader.runner is not None:
        spec = loader.runner.spec
        out["statistics"] = {**spec.to_json(), "version": spec.version}
        out["square"] = f"short side to {spec.size} px, centre square (the backbone's input)"
    return out


def _train_svm(out: Path, splits: dict[str, Split], request: TrainRequest, _loader: Any):  # type: ignore[no-untyped-def]
    import joblib

    from ml.detectors.svm_dct import SVMTraining, fit_svm

    training = SVMTraining()
    if request.progress:
        _say("svm-dct: cross-validating C on the training split")
    model, report = fit_svm(splits["train"], training, request.seed)
    joblib.dump(model, out / SVM_FILE)
    extra = {
        "test": battery_metrics(lambda parts: model.p_ai(parts["svm"]), splits["test"]),
        "val": battery_metrics(lambda parts: model.p_ai(parts["svm"]), splits["val"]),
        "cross_validation": report,
    }
    return [SVM_FILE], {"training": training.to_json()}, extra


def _train_backbone(
    out: Path, splits: dict[str, Split], request: TrainRequest, loader: SplitLoader
):  # type: ignore[no-untyped-def]
    from ml.backbone.runner import export_stats_onnx
    from ml.detectors.backbone_probe import BACKBONE_ONNX, PROBE_FILE, ProbeTraining, fit_probe

    assert loader.runner is not None
    training = ProbeTraining()
    probe, report = fit_probe(splits["train"], splits["val"], training)
    probe.save(out / PROBE_FILE)
    export_stats_onnx(loader.runner.spec, out / BACKBONE_ONNX)

    def score(parts: dict[str, np.ndarray]) -> np.ndarray:
        return probe.p_ai(parts["stats"].astype(np.float32))

    extra = {
        "test": battery_metrics(score, splits["test"]),
        "val": battery_metrics(score, splits["val"]),
        "selection": report,
    }
    return [PROBE_FILE, BACKBONE_ONNX], {"training": training.to_json()}, extra


def _train_gfnet(out: Path, splits: dict[str, Split], request: TrainRequest, _loader: Any):  # type: ignore[no-untyped-def]
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
    views = test.part("crops", "as_stored"), test.part("fft", "as_stored")
    difference = max_difference(predict_torch(model, *views), onnx_predict(session, *views))
    if difference > TOLERANCE:
        raise ModelError(f"ONNX and PyTorch scores differ by {difference:.2e}")

    def score(parts: dict[str, np.ndarray]) -> np.ndarray:
        return onnx_predict(session, parts["crops"], parts["fft"])

    extra = {
        "test": battery_metrics(score, splits["test"]),
        "val": battery_metrics(score, splits["val"]),
        "history": history,
        "onnx_max_abs_difference": difference,
    }
    return (
        [GFNET_WEIGHTS, GFNET_ONNX],
        {"model": config.to_json(), "training": training.to_json()},
        extra,
    )


def _train_ensemble(  # type: ignore[no-untyped-def]
    settings: Settings,
    out: Path,
    manifest: pd.DataFrame,
    summary: dict,
    request: TrainRequest,
):
    """Combine the member detectors present beside OUT, choosing members on validation."""
    from ml.detectors.ensemble import Stacker, choose_members, fit_stacker, save_ensemble
    from ml.detectors.scorers import load_detector
    from ml.detectors.weights import balanced_weights
    from ml.registry import weights_sha256

    members = {}
    for kind in MEMBER_KINDS:
        path = out.parent / f"detector-{kind}"
        if (path / "model.json").is_file():
            members[f"detector-{kind}"] = load_detector(path)
    if not members:
        raise ModelError(
            f"no member detector beside {out}: train one first "
            "(graphkit train detector --kind svm-dct|backbone|gfnet)"
        )
    wanted = {p for d in members.values() for p in d.parts}
    loaders = [SplitLoader(settings, request, g, summary) for g in part_groups(wanted)]
    val = load_parts(loaders, manifest, "val", VAL_PER_CLASS)
    test = load_parts(loaders, manifest, "test", None)
    parts = tuple(val.parts)

    def stacked_scores(split: Split) -> tuple[dict[str, np.ndarray], np.ndarray]:
        scores = {name: [] for name in members}
        names = []
        for variant in split.variants:
            variant_parts = {p: split.part(p, variant) for p in parts}
            for name, detector in members.items():
                scores[name].append(detector.score_parts(variant_parts))
            names.append(np.full(len(split.y), variant))
        return {n: np.concatenate(s) for n, s in scores.items()}, np.concatenate(names)

    val_scores, val_transforms = stacked_scores(val)
    repeat = len(val.variants)
    y = np.tile(val.y, repeat)
    groups = np.tile(val.artists, repeat)
    weights = balanced_weights(y, np.tile(val.sources, repeat))
    choice = choose_members(val_scores, y, groups, val_transforms, weights)
    chosen = choice["members"]
    weight, bias = fit_stacker(np.stack([val_scores[n] for n in chosen], 1), y, weights)
    stacker = Stacker(chosen, weight, bias)
    save_ensemble(out, stacker, {n: weights_sha256(members[n].meta) for n in chosen})
    _say(f"ensemble: members chosen on validation: {', '.join(chosen)}")

    def score(split_parts: dict[str, np.ndarray]) -> np.ndarray:
        return stacker.p_ai([members[n].score_parts(split_parts) for n in chosen])

    extra = {
        "test": battery_metrics(score, test),
        "members_test": {
            name: battery_metrics(detector.score_parts, test) for name, detector in members.items()
        },
        "selection": choice,
    }
    from ml.detectors.ensemble import ENSEMBLE_FILE

    stats_loaders = [loader for loader in loaders if loader.runner is not None]
    preprocessing = {**_preprocessing((stats_loaders or loaders)[0]), "members": chosen}
    return [ENSEMBLE_FILE], {"members": chosen}, extra, preprocessing


def metrics_table(meta: ModelMeta) -> pd.DataFrame:
    """Test metrics as rows (variant, subset) for printing."""
    rows = []
    for variant, subsets in meta.metrics["test"].items():
        for subset, values in subsets.items():
            rows.append({"variant": variant, "subset": subset, **values})
    return pd.DataFrame(rows)


def dumps(meta: ModelMeta) -> str:
    return json.dumps(meta.metrics, indent=2)
