"""Benchmark: the movement classifier, every backbone in one run on the same data.

Populates a fresh embedded graph, builds the `styles` dataset (--label-via artwork: the 11
WikiArt styles, split by artist), then for each backbone (the yolov8n-cls baseline first)
trains with the same loop, budget and augmentation and measures the test split, whose artists
were never seen in training. For the best backbone it then times inference at 224 px, batch 32,
2 threads (ONNX Runtime against plain eager PyTorch of the same model, in this process), end to
end from files, `graphkit embed` over the whole graph, and the precision@10 of its embeddings
for held-out-artist images against random neighbours.

    python bench/bench_movement.py [--epochs 5] [--max-minutes 13] [--backbones a,b,c]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.settings import Settings
from ml.offline import go_offline

TARGETS = {"top1": 0.70, "top5": 0.97, "over_baseline": 0.20, "img_s": 200.0, "train_min": 25.0}
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


def reached_in(history: list[dict], minutes: float) -> str:
    done = [h for h in history if h["elapsed_s"] <= minutes * 60]
    if not done:
        return f"no epoch finished within {minutes:.0f} min"
    last = done[-1]
    return (
        f"after {last['epoch']} epoch(s) ({last['elapsed_s'] / 60:.1f} min): "
        f"val top-1 {last['val_top1']:.3f}"
    )


def train_all(data, backbones: list[str], args) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
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
        model, metrics = fit_on(data, request, log=lambda line: print(f"  {line}", flush=True))
        test = metrics["test"]
        print(
            f"{name}: test top-1 {test['top1']:.3f}, top-5 {test['top5']:.3f}, "
            f"macro F1 {test['macro_f1']:.3f} on {test['n']} images of unseen artists; "
            f"trained {metrics['train_seconds'] / 60:.1f} min; "
            f"{reached_in(metrics['history'], 10)}",
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


def retrieval(store, data) -> None:  # type: ignore[no-untyped-def]
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
    for name, groups in (("any artist", None), ("other artists only", artists)):
        figures = precision_at_k(vectors, labels, queries, 10, groups)
        print(
            f"retrieval, {len(queries)} held-out-artist queries, neighbours from "
            f"{name}: precision@10 {figures['precision_at_10']:.3f} vs random "
            f"{figures['random_baseline']:.3f}",
            flush=True,
        )


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--max-minutes", type=float, default=13.0)
    parser.add_argument(
        "--backbones",
        default="yolov8n-cls,mobilenetv3-large,efficientnet-lite0-finetune,efficientnet-lite0",
    )
    parser.add_argument(
        "--train-per-class", type=int, default=None, help="cap training images a class"
    )
    parser.add_argument(
        "--val-per-class", type=int, default=40, help="validation images a class per epoch"
    )
    parser.add_argument("--skip-embed", action="store_true", help="leave out graphkit embed")
    parser.add_argument("--out", type=Path, default=None, help="also save the best model here")
    args = parser.parse_args()
    backbones = args.backbones.split(",")
    with populated_graph(args.data) as (store, tmp):
        settings = Settings.from_env()
        go_offline(settings.data_dir)
        from ml.embeddings.embed import embed_graph
        from ml.movement.data import load_movement_data
        from ml.movement.model_dir import save_movement_model
        from ml.movement.onnx_model import OnnxMovementModel
        from ml.movement.train import cache_dir

        summary = build_dataset(
            store, "styles", BuildOptions("artwork"), tmp / "datasets" / "styles"
        )
        start = time.perf_counter()
        data = load_movement_data(Path(summary["out_dir"]), cache_dir(settings))
        print(
            f"dataset styles: {len(data.labels)} images, {len(data.classes)} classes, "
            f"split {summary['split_counts']}; decoded and cached in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        results = train_all(data, backbones, args)
        best = max(results, key=lambda n: results[n][1]["test"]["top1"])
        test = results[best][1]["test"]
        print(f"\nbest backbone: {best}")
        checks = {
            "top1": test["top1"] >= TARGETS["top1"],
            "top5": test["top5"] >= TARGETS["top5"],
            "train_min": results[best][1]["train_seconds"] / 60 < TARGETS["train_min"],
        }
        if BASELINE in results and best != BASELINE:
            gain = test["top1"] - results[BASELINE][1]["test"]["top1"]
            checks["over_baseline"] = gain >= TARGETS["over_baseline"]
            print(f"top-1 over the {BASELINE} baseline: {gain * 100:+.1f} points")
        model, metrics = results[best]
        model_dir = args.out or tmp / "models" / f"movement-{best}"
        save_movement_model(
            model_dir,
            model,
            best,
            data.classes,
            config={"bench": True},
            metrics=metrics,
            dataset_id=data.dataset_id,
            size=224,
        )
        speed = inference_speed(model_dir, data, args.repeat * 3)
        checks["img_s"] = speed["onnx_img_s"] >= TARGETS["img_s"]
        print(
            f"inference, 224 px, batch 32, 2 threads, decoded images: ONNX Runtime "
            f"{speed['onnx_img_s']:.0f} img/s vs eager PyTorch {speed['eager_img_s']:.0f} img/s "
            f"-> {speed['onnx_img_s'] / speed['eager_img_s']:.1f}x; end to end from files "
            f"{speed['files_img_s']:.0f} img/s",
            flush=True,
        )
        if not args.skip_embed:
            report = embed_graph(store, OnnxMovementModel.load(model_dir))
            checks["embed"] = report.seconds < 180
            print(
                f"embed: {report.stored} images ({report.by_label}) in {report.seconds:.0f} s "
                f"(target < 180 s); skipped {len(report.skipped)}",
                flush=True,
            )
            retrieval(store, data)
        print("checks: " + json.dumps(checks))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
