"""Benchmark: the AI-image detectors, trained from scratch and measured.

Populates a fresh embedded graph, builds the detector dataset (--label-via source-kind),
trains svm-dct and gfnet (timed: target under 15 minutes each), prints each model's test
metrics per source, plain and after JPEG 75 re-compression, then the scoring speed on decoded
images (targets: svm-dct >= 1,000 images/s, gfnet >= 100 images/s) and end to end from files,
and gfnet on ONNX Runtime against PyTorch in the same process (the baseline). With --models DIR
it measures models already in DIR/detector-svm-dct and DIR/detector-gfnet instead of training.

    python bench/bench_detectors.py [--data ../shared/data] [--repeat 3] [--models DIR]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.datasets.manifest import read_manifest
from graphkit.settings import Settings
from ml.offline import go_offline

TARGETS = {"svm-dct": 1000.0, "gfnet": 100.0}
TRAIN_TARGET_S = 15 * 60
SPEED_IMAGES = 512


def train_both(out: Path) -> dict[str, Path]:
    from ml.detectors.train import TrainRequest, train_detector

    settings = Settings.from_env()
    go_offline(settings.data_dir)
    dirs = {}
    for kind in ("svm-dct", "gfnet"):
        request = TrainRequest(
            kind=kind, dataset=None, out_dir=out / f"detector-{kind}", progress=False
        )
        start = time.perf_counter()
        meta = train_detector(settings, request)
        wall = time.perf_counter() - start
        print(
            f"train {kind}: {wall:.0f} s wall (dataset + decoding + fit + test), "
            f"fit {meta.metrics['train_seconds']:.0f} s; target < {TRAIN_TARGET_S} s: "
            f"{'met' if wall < TRAIN_TARGET_S else 'MISSED'}",
            flush=True,
        )
        dirs[kind] = out / f"detector-{kind}"
    return dirs


def print_quality(model_dir: Path) -> None:
    from ml.artifacts import load_model_dir

    meta = load_model_dir(model_dir)
    for variant, subsets in meta.metrics["test"].items():
        parts = []
        for name, values in subsets.items():
            score = values.get("balanced_accuracy") or values.get("accuracy")
            label = "bal.acc" if values.get("balanced_accuracy") is not None else "acc"
            parts.append(f"{name} {label} {score:.3f} (n={values['n']})")
        print(f"{meta.kind} test {variant}: " + "; ".join(parts))
    auc = meta.metrics["test"]["plain"]["overall"]["roc_auc"]
    print(f"{meta.kind} test plain ROC AUC {auc:.3f}")


def best_rate(fn, n: int, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n / min(times), statistics.median(times)


def speed_files() -> pd.DataFrame:
    """A seeded sample of the detector dataset's test rows (a generated tile is one image)."""
    from graphkit.datasets.build import find_dataset

    folder = find_dataset(None, "detector", Settings.from_env().data_dir / "datasets")
    test = read_manifest(folder).query("split == 'test'")
    return test.sample(min(SPEED_IMAGES, len(test)), random_state=0)


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--models", type=Path, default=None, help="measure these, do not train")
    args = parser.parse_args()
    import contextlib

    context = contextlib.nullcontext((None, None)) if args.models else populated_graph(args.data)
    with context as (_store, tmp):
        if args.models:
            dirs = {k: args.models / f"detector-{k}" for k in TARGETS}
        else:
            dirs = train_both(Path(tmp) / "models")
        for model_dir in dirs.values():
            print_quality(model_dir)
        measure_speed(dirs, args.repeat)
    return 0


def measure_speed(dirs: dict[str, Path], repeat: int) -> None:
    import torch

    from ml.detectors import preprocess
    from ml.detectors.scorers import load_detector, views

    torch.set_num_threads(2)
    rows = speed_files()
    decoded = [
        preprocess.load(p, preprocess.parse_crop(c if isinstance(c, str) else None))
        for p, c in zip(rows["image_path"], rows["crop"], strict=True)
    ]
    canvases, block_spectra = views(decoded)
    n = len(decoded)
    for kind, model_dir in dirs.items():
        detector = load_detector(model_dir)
        detector.score_canvases(canvases[:32], block_spectra[:32])  # warm up
        rate, _ = best_rate(lambda d=detector: d.score_images(decoded), n, repeat)
        pre_rate, _ = best_rate(
            lambda d=detector: d.score_canvases(canvases, block_spectra), n, repeat
        )

        def from_files(d=detector) -> None:
            images = [
                preprocess.load(p, preprocess.parse_crop(c if isinstance(c, str) else None))
                for p, c in zip(rows["image_path"], rows["crop"], strict=True)
            ]
            d.score_images(images)

        file_rate, _ = best_rate(from_files, n, repeat)
        verdict = "met" if rate >= TARGETS[kind] else "MISSED"
        print(
            f"{kind} ({detector.runtime}): {rate:,.0f} images/s on decoded images "
            f"(target {TARGETS[kind]:,.0f}: {verdict}); {pre_rate:,.0f} images/s on "
            f"preprocessed views; {file_rate:,.0f} images/s end to end from files "
            f"(n={n}, best of {repeat})",
            flush=True,
        )
        if kind == "gfnet":
            torch_detector = load_detector(model_dir, runtime="torch")
            torch_detector.score_canvases(canvases[:32], block_spectra[:32])
            torch_rate, _ = best_rate(lambda d=torch_detector: d.score_images(decoded), n, repeat)
            scores = [d.score_canvases(canvases, block_spectra) for d in (torch_detector, detector)]
            diff = float(np.max(np.abs(scores[0] - scores[1])))
            print(
                f"gfnet ONNX Runtime vs PyTorch (2 threads): {rate:,.0f} vs {torch_rate:,.0f} "
                f"images/s = {rate / torch_rate:.2f}x; max score difference {diff:.1e}",
                flush=True,
            )


if __name__ == "__main__":
    sys.exit(main())
