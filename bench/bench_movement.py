"""Benchmark: the movement classifier, every candidate in one run on the same data.

Populates a fresh embedded graph, builds the `styles` dataset (--label-via artwork: the 11
WikiArt styles, split by artist), then trains each candidate (the yolov8n-cls baseline, the
EfficientNet-Lite0/1/2 probes) and prints, per candidate, the figure it is chosen by (never
the test split: a probe's out-of-fold top-1 over train+val artists), the test split's top-1,
top-5 and macro F1 on artists never seen, each with a 95% interval by resampling those
artists, the test ECE, what the uncertain threshold answers, and the training time. For the
one chosen on validation it then times inference (ONNX Runtime against eager PyTorch, batch
32, 2 threads; decoded images and end to end from files), runs `graphkit embed` twice over the
whole graph through the shared backbone cache (the second computes nothing), and measures
the embeddings' precision@10 for held-out-artist queries with their own artist left out.
The load average is printed before and after: a figure taken above 1 is not a quiet one.

    python bench/bench_movement.py [--backbones a,b,c] [--epochs 5] [--max-minutes 13]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.settings import Settings
from ml.offline import go_offline

TARGETS = {
    "top1": 0.70,
    "top5": 0.97,
    "macro_f1": 0.65,
    "precision_at_10": 0.65,
    "img_s": 200.0,
    "train_min": 15.0,
}
BASELINE = "yolov8n-cls"


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of REPEAT calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def train_all(data, backbones: list[str], args, data_dir: Path) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    from ml.movement.train import MovementRequest, fit_on
    from ml.movement.train_loop import TrainConfig

    results = {}
    for name in backbones:
        config = TrainConfig(epochs=args.epochs, max_minutes=args.max_minutes)
        request = MovementRequest(
            backbone=name,
            config=config,
            per_class=args.train_per_class,
            val_per_class=args.val_per_class,
        )
        print(f"training {name}: {args.epochs} epochs at most, {args.max_minutes} min", flush=True)
        model, metrics = fit_on(
            data, request, log=lambda line: print(f"  {line}", flush=True), data_dir=data_dir
        )
        test = metrics["test"]
        print(
            f"{name}: chosen-by figure {selection_top1(metrics):.3f}; test top-1 "
            f"{interval(test, 'top1')}, top-5 {interval(test, 'top5')}, macro F1 "
            f"{interval(test, 'macro_f1')} on {test['n']} images of {test.get('artists')} unseen "
            f"artists; trained {metrics['train_seconds'] / 60:.1f} min",
            flush=True,
        )
        results[name] = (model, metrics)
    return results


def inference_speed(model_dir: Path, data, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import torch

    from ml.images import open_image
    from ml.movement.backbones import get_backbone
    from ml.movement.model_dir import load_movement_meta, load_torch_model
    from ml.movement.onnx_model import OnnxMovementModel
    from ml.movement.train_loop import normaliser

    meta = load_movement_meta(model_dir)
    onnx_model = OnnxMovementModel(meta, threads=2)
    eager = load_torch_model(meta)
    torch.set_num_threads(2)
    pixels = data.pixels[:32]
    batch = normaliser(get_backbone(meta.kind))(torch.from_numpy(pixels)).contiguous()

    def run_eager() -> None:
        with torch.inference_mode():
            eager(batch)

    onnx_s = timed(lambda: onnx_model.run_pixels(pixels), repeat)
    eager_s = timed(run_eager, repeat)
    files = list(data.paths[:96])

    def from_files() -> None:
        onnx_model.run_pixels(onnx_model.pixels([open_image(p) for p in files]))

    files_s = timed(from_files, max(1, repeat // 2))
    return {
        "onnx_img_s": 32 / onnx_s,
        "eager_img_s": 32 / eager_s,
        "files_img_s": len(files) / files_s,
    }


def retrieval(store, data) -> float:  # type: ignore[no-untyped-def]
    """precision@10 of the embeddings `embed` stored, held-out-artist images as queries."""
    from ml.embeddings.retrieval import precision_at_k

    rows = store.cypher(
        "MATCH (a:Artwork) WHERE a.embedding IS NOT NULL "
        "RETURN a.image_path AS path, a.embedding AS embedding"
    ).rows
    vectors_by_path = {r["path"]: r["embedding"] for r in rows}
    keep = np.array([p in vectors_by_path for p in data.paths])
    vectors = np.array([vectors_by_path[p] for p in data.paths[keep]], dtype=np.float32)
    labels, splits, artists = data.labels[keep], data.splits[keep], data.artists[keep]
    queries = np.flatnonzero(splits == "test")
    figures = {}
    for name, groups in (("any artist", None), ("other artists only", artists)):
        figures = precision_at_k(vectors, labels, queries, 10, groups)
        print(
            f"retrieval, {len(queries)} held-out-artist queries, neighbours from "
            f"{name}: precision@10 {figures['precision_at_10']:.3f} vs random "
            f"{figures['random_baseline']:.3f}",
            flush=True,
        )
    return float(figures["precision_at_10"])  # the query's own artist left out


def selection_top1(metrics: dict) -> float:
    """The figure a backbone is chosen by: never the test split. A probe's out-of-fold top-1
    over train+val artists; a trained backbone's best validation epoch."""
    if "selection" in metrics:
        return max(c["top1"] for c in metrics["selection"]["cv"])
    return max(h["val_top1"] for h in metrics["history"])


def interval(test: dict, name: str) -> str:
    from ml.intervals import format_interval

    if "intervals" not in test:
        return f"{test[name]:.3f}"
    return format_interval(test["intervals"][name])


def table(results: dict[str, tuple]) -> None:
    print(
        "\n| backbone | chosen by: val top-1 | test top-1 [95% CI] | test top-5 [95% CI] | "
        "test macro F1 [95% CI] | test ECE | uncertain: answered / precision | training |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, (_, metrics) in results.items():
        test = metrics["test"]
        uncertain = test.get("uncertain")
        answered = (
            f"{uncertain['coverage']:.0%} / {uncertain['precision']:.3f}" if uncertain else "-"
        )
        print(
            f"| {name} | {selection_top1(metrics):.3f} | {interval(test, 'top1')} | "
            f"{interval(test, 'top5')} | {interval(test, 'macro_f1')} | "
            f"{test.get('ece', float('nan')):.3f} | {answered} | "
            f"{metrics['train_seconds'] / 60:.1f} min |"
        )


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--max-minutes", type=float, default=13.0)
    parser.add_argument(
        "--backbones",
        default="yolov8n-cls,efficientnet-lite0,efficientnet-lite1,efficientnet-lite2",
    )
    parser.add_argument(
        "--train-per-class", type=int, default=None, help="cap training images a class"
    )
    parser.add_argument("--val-per-class", type=int, default=None, help="validation images a class")
    parser.add_argument("--skip-embed", action="store_true", help="leave out graphkit embed")
    parser.add_argument("--out", type=Path, default=None, help="also save the chosen model here")
    args = parser.parse_args()
    backbones = args.backbones.split(",")
    print(f"load average before: {os.getloadavg()}", flush=True)
    with populated_graph(args.data) as (store, tmp):
        settings = Settings.from_env()
        go_offline(settings.data_dir)
        from ml.embeddings.embed import embed_with_shared_backbone
        from ml.movement.backbones import get_backbone
        from ml.movement.data import load_movement_data
        from ml.movement.model_dir import save_movement_model
        from ml.movement.onnx_model import OnnxMovementModel
        from ml.movement.train import cache_dir

        summary = build_dataset(
            store, "styles", BuildOptions("artwork"), tmp / "datasets" / "styles"
        )
        results = {}
        datasets = {}
        for name in backbones:
            size = get_backbone(name).size if get_backbone(name).method == "probe" else 224
            if size not in datasets:
                start = time.perf_counter()
                datasets[size] = load_movement_data(
                    Path(summary["out_dir"]), cache_dir(settings), size
                )
                print(
                    f"dataset styles at {size} px: {len(datasets[size].labels)} images, "
                    f"split {summary['split_counts']}; decoded in "
                    f"{time.perf_counter() - start:.1f} s",
                    flush=True,
                )
            results.update(train_all(datasets[size], [name], args, settings.data_dir))
        table(results)
        candidates = [n for n in results if n != BASELINE] or list(results)
        best = max(candidates, key=lambda n: selection_top1(results[n][1]))
        test = results[best][1]["test"]
        print(f"\nchosen on validation: {best}")
        checks = {
            "top1": test["top1"] >= TARGETS["top1"],
            "top5": test["top5"] >= TARGETS["top5"],
            "macro_f1": test["macro_f1"] >= TARGETS["macro_f1"],
            "train_min": results[best][1]["train_seconds"] / 60 <= TARGETS["train_min"],
        }
        if BASELINE in results and best != BASELINE:
            gain = test["top1"] - results[BASELINE][1]["test"]["top1"]
            print(f"top-1 over the {BASELINE} baseline: {gain * 100:+.1f} points")
        model, metrics = results[best]
        model_dir = args.out or tmp / "models" / f"movement-{best}"
        size = get_backbone(best).size
        save_movement_model(
            model_dir,
            model,
            best,
            datasets[size].classes,
            config={"bench": True},
            metrics=metrics,
            dataset_id=datasets[size].dataset_id,
            size=size,
        )
        speed = inference_speed(model_dir, datasets[size], args.repeat * 3)
        checks["img_s"] = speed["onnx_img_s"] >= TARGETS["img_s"]
        print(
            f"inference, {size} px, batch 32, 2 threads, decoded images: ONNX Runtime "
            f"{speed['onnx_img_s']:.0f} img/s vs eager PyTorch {speed['eager_img_s']:.0f} img/s "
            f"-> {speed['onnx_img_s'] / speed['eager_img_s']:.1f}x; end to end from files "
            f"{speed['files_img_s']:.0f} img/s",
            flush=True,
        )
        if not args.skip_embed:
            model = OnnxMovementModel.load(model_dir)
            for attempt in ("first", "second"):
                report = embed_with_shared_backbone(store, model, settings.data_dir)
                print(
                    f"embed ({attempt}): {report.stored} images ({report.by_label}) in "
                    f"{report.seconds:.0f} s, the backbone run over {report.backbone_runs} of "
                    f"them (the rest cached by training); skipped {len(report.skipped)}",
                    flush=True,
                )
            checks["retrieval"] = retrieval(store, datasets[size]) >= TARGETS["precision_at_10"]
        print(f"load average after: {os.getloadavg()}")
        print("checks: " + json.dumps(checks))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
