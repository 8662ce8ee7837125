"""Benchmark: the AI-image detectors, trained by the container-blind recipe, and the battery.

Populates a fresh embedded graph, builds the detector dataset (--label-via source-kind), trains
svm-dct, backbone and gfnet and then the default `detector` (the ensemble, its members chosen
on validation), each timed, and prints for every detector the container-swap battery of the
project's own test split (artists never seen in training), per transformation and per source:
as stored, JPEG 75, generated at 224 px, humans as 512 px WebP, both swaps together, and
generated vs museum photographs. Then the scoring speed on decoded images: svm-dct through its
matrix fast path against libsvm's predict_proba in the same process (the baseline; the same
probabilities to 1e-6), and each detector's images/s. With --models DIR it measures the
models already in DIR instead of training. The load average is printed before and after.

    python bench/bench_detectors.py [--data ../shared/data] [--repeat 3] [--models DIR]
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.datasets.manifest import read_manifest
from graphkit.settings import Settings
from ml.offline import go_offline

DIRS = {
    "svm-dct": "detector-svm-dct",
    "backbone": "detector-backbone",
    "gfnet": "detector-gfnet",
    "ensemble": "detector",
}
TARGETS = {  # balanced accuracy of the default detector on unseen artists
    "as_stored": 0.95,
    "jpeg75": 0.93,
    "generated_vs_aic": 0.93,
    "generated_224": 0.90,
    "both_swaps": 0.85,
}
SPEED_TARGET = {"svm-dct": 1000.0}
SPEED_IMAGES = 512


def train_all(out: Path, kinds: list[str]) -> dict[str, Path]:
    from ml.detectors.train import TrainRequest, train_detector

    settings = Settings.from_env()
    go_offline(settings.data_dir)
    dirs = {}
    for kind in kinds:
        request = TrainRequest(kind=kind, dataset=None, out_dir=out / DIRS[kind], progress=False)
        start = time.perf_counter()
        meta = train_detector(settings, request)
        wall = time.perf_counter() - start
        extra = ""
        if kind == "gfnet":
            epochs = meta.metrics["history"]
            extra = f"; {len(epochs)} epochs, " + ", ".join(
                f"{e['epoch_seconds']:.0f} s" for e in epochs
            )
        print(
            f"train {kind}: {wall:.0f} s wall (views, fit, validation, test battery){extra}",
            flush=True,
        )
        dirs[kind] = out / DIRS[kind]
    return dirs


def battery_table(dirs: dict[str, Path]) -> None:
    from ml.artifacts import load_model_dir

    print(
        "\n| detector | transformation | balanced accuracy | ROC AUC | generated | AIC | WikiArt "
        "| generated vs AIC |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, model_dir in dirs.items():
        meta = load_model_dir(model_dir)
        for transform, subsets in meta.metrics["test"].items():
            overall = subsets["overall"]

            def acc(source: str, subsets: dict = subsets) -> str:
                return f"{subsets[source]['accuracy']:.3f}" if source in subsets else "-"

            vs_aic = subsets.get("generated_vs_aic", {}).get("balanced_accuracy")
            print(
                f"| {kind} | {transform} | {overall['balanced_accuracy']:.3f} | "
                f"{overall['roc_auc']:.3f} | {acc('generated')} | {acc('aic')} | "
                f"{acc('wikiart')} | {vs_aic:.3f} |"
            )
        if kind == "ensemble":
            print(f"ensemble members chosen on validation: {meta.preprocessing['members']}")
            test = meta.metrics["test"]
            figures = {
                t: test["as_stored"]["generated_vs_aic"]["balanced_accuracy"]
                if t == "generated_vs_aic"
                else test[t]["overall"]["balanced_accuracy"]
                for t in TARGETS
            }
            verdicts = ", ".join(
                f"{t} {v:.3f} ({'met' if v >= TARGETS[t] else 'MISSED'} {TARGETS[t]})"
                for t, v in figures.items()
            )
            print(f"default detector against the targets: {verdicts}")


def best_rate(fn, n: int, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n / min(times)


def speed_images() -> list:  # type: ignore[type-arg]
    """A seeded sample of the detector dataset's test images, decoded (a tile is one image)."""
    from graphkit.datasets.build import find_dataset
    from ml.detectors import preprocess

    folder = find_dataset(None, "detector", Settings.from_env().data_dir / "datasets")
    test = read_manifest(folder).query("split == 'test'")
    rows: pd.DataFrame = test.sample(min(SPEED_IMAGES, len(test)), random_state=0)
    return [
        preprocess.load(p, preprocess.parse_crop(c if isinstance(c, str) else None))
        for p, c in zip(rows["image_path"], rows["crop"], strict=True)
    ]


def measure_speed(dirs: dict[str, Path], repeat: int) -> None:
    from ml.detectors.scorers import image_parts, load_detector

    images = speed_images()
    n = len(images)
    for kind, model_dir in dirs.items():
        detector = load_detector(model_dir)
        detector.score_images(images[:32])  # warm up
        rate = best_rate(lambda d=detector: d.score_images(images), n, repeat)
        target = SPEED_TARGET.get(kind)
        verdict = (
            f" (target {target:,.0f}: {'met' if rate >= target else 'MISSED'})" if target else ""
        )
        print(f"{kind}: {rate:,.0f} images/s on decoded images{verdict} (n={n}, best of {repeat})")
        if kind == "svm-dct":
            x = image_parts(images, ("svm",))["svm"]
            fast = best_rate(lambda d=detector, x=x: d.model.p_ai(x), n, repeat)
            slow = best_rate(lambda d=detector, x=x: d.model.p_ai_libsvm(x), n, repeat)
            diff = float(np.max(np.abs(detector.model.p_ai(x) - detector.model.p_ai_libsvm(x))))
            views = best_rate(lambda: image_parts(images, ("svm",)), n, repeat)
            print(
                f"svm-dct, features computed: fast path {fast:,.0f} images/s vs libsvm "
                f"predict_proba {slow:,.0f} images/s = {fast / slow:.1f}x, max difference "
                f"{diff:.1e}; views and features alone {views:,.0f} images/s",
                flush=True,
            )


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--models", type=Path, default=None, help="measure these, do not train")
    parser.add_argument("--kinds", default="svm-dct,backbone,gfnet,ensemble")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    kinds = args.kinds.split(",")
    context = contextlib.nullcontext((None, None)) if args.models else populated_graph(args.data)
    with context as (store, tmp):
        if args.models:
            dirs = {k: args.models / DIRS[k] for k in kinds if (args.models / DIRS[k]).is_dir()}
        else:
            from graphkit.datasets.build import BuildOptions, build_dataset

            build_dataset(
                store, "detector", BuildOptions("source-kind"), Path(tmp) / "datasets" / "detector"
            )
            dirs = train_all(Path(tmp) / "models", kinds)
        battery_table(dirs)
        measure_speed(dirs, args.repeat)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
