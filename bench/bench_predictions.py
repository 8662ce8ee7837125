"""Predictions and sync benchmark, on both engines in one run (the embedded FalkorDB and a local
Neo4j 5.26), on the full graph of ../shared/data:

1. `populate all` into a fresh graph (the baseline), then a sync with nothing changed
   (target: under 10% of the populate), in this process and as the `graphkit sync` command.
2. Writing 10,000 predictions in batches (target on the embedded engine: under 3 s), rewriting
   them (creates nothing), and one write per prediction: the ratio.
3. "Most uncertain 100" and "disagreements" on the full graph (target: under 200 ms).

The predictions are those of a registered stand-in movement model over the graph's own images
(ids, image sha256, tile crops), with seeded probabilities: the benchmark measures the graph,
not a model.

Run: python bench/bench_predictions.py [--engines falkordb,neo4j] [--single N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from common import ENGINES, SHARED

from graphkit.populate import populate_all
from graphkit.predictions.curator import disagreements, uncertain
from graphkit.predictions.rows import prediction_row
from graphkit.predictions.write import DEFAULT_WRITE_BATCH, write_predictions
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, sources_under, sync
from ml.graph_images import imaged_nodes
from ml.predict import rescore

PREDICTIONS = 10_000
MOVEMENTS = [
    "Abstract Expressionism", "Baroque", "Cubism", "Fauvism", "Impressionism", "Minimalism",
    "Naive Art (Primitivism)", "Pointillism", "Pop Art", "Rococo", "Ukiyo-e",
]  # fmt: skip


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def register(store: GraphStore, name: str) -> str:
    props = {
        "task": "movement", "kind": "bench", "sha256": f"{name}-weights", "weights": "{}",
        "classes": MOVEMENTS, "metrics": "{}", "config": "{}", "config_sha256": "",
        "dataset_id": None, "dataset_manifest_sha256": None, "trained_at": "",
        "code_version": "bench", "path": f"/nonexistent/{name}",
    }  # fmt: skip
    model_id = f"model:{name}:bench"
    store.write("models/register_model", id=model_id, model=name, props=props)
    return model_id


def prediction_rows(images: list[dict], name: str, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.ones(len(MOVEMENTS)) * 0.5, size=len(images))
    return [
        prediction_row(image, MOVEMENTS, p, f"{name}-weights", "movement")
        for image, p in zip(images, probabilities, strict=True)
    ]


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def write_all(store: GraphStore, model_id: str, rows: list[dict], batch: int) -> int:
    created = 0
    for start in range(0, len(rows), batch):
        created += write_predictions(store, model_id, rows[start : start + batch]).created
    return created


def bench_sync(engine: str, store: GraphStore, reports: Path, cli_env: dict | None) -> None:
    seconds, _ = timed(lambda: populate_all(store, SHARED, progress=False, reports_dir=reports))
    print(f"{engine}: populate all {SHARED}: {seconds:.1f} s ({load()})", flush=True)

    def no_change() -> int:
        report = sync(store, sources_under(SHARED), SyncOptions(progress=False))
        rescore(store, progress=False)
        return sum(s.read for s in report.sources)

    sync_seconds, read = timed(no_change)
    assert read == 0, "a sync with nothing changed read a source"
    ratio = sync_seconds / seconds
    print(
        f"{engine}: sync with nothing changed (in this process): {sync_seconds:.2f} s, "
        f"{ratio:.1%} of the populate (target < 10%) {'OK' if ratio < 0.1 else 'ABOVE TARGET'}",
        flush=True,
    )
    if cli_env is not None:
        command = [sys.executable, "-m", "graphkit.cli", "sync", "--no-progress"]
        cli_seconds, done = timed(
            lambda: subprocess.run(command, env={**os.environ, **cli_env}, capture_output=True)
        )
        assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
        print(
            f"{engine}: `graphkit sync` command, nothing changed (process start included): "
            f"{cli_seconds:.2f} s, {cli_seconds / seconds:.1%} of the populate",
            flush=True,
        )


def bench_writes(engine: str, store: GraphStore, single: int) -> None:
    images = imaged_nodes(store)[:PREDICTIONS]
    assert len(images) == PREDICTIONS, f"the graph has only {len(images)} images"
    batched_id = register(store, "bench-batched")
    rows = prediction_rows(images, "bench-batched", seed=0)
    batched, created = timed(lambda: write_all(store, batched_id, rows, DEFAULT_WRITE_BATCH))
    assert created == PREDICTIONS
    again, created = timed(lambda: write_all(store, batched_id, rows, DEFAULT_WRITE_BATCH))
    assert created == 0
    single_id = register(store, "bench-single")
    few = prediction_rows(images[:single], "bench-single", seed=1)
    one_by_one, created = timed(lambda: write_all(store, single_id, few, 1))
    assert created == single
    per_batched, per_single = batched / PREDICTIONS, one_by_one / single
    print(
        f"{engine}: {PREDICTIONS:,} predictions in batches of {DEFAULT_WRITE_BATCH}: "
        f"{batched:.2f} s ({PREDICTIONS / batched:,.0f}/s; target < 3 s on the embedded "
        f"engine) {'OK' if batched < 3 else 'SLOW'}; written again: {again:.2f} s, 0 created",
        flush=True,
    )
    print(
        f"{engine}: one write per prediction ({single:,} predictions): {one_by_one:.2f} s "
        f"({single / one_by_one:,.0f}/s): batching is {per_single / per_batched:.1f}x faster "
        "per prediction",
        flush=True,
    )


def bench_queries(engine: str, store: GraphStore, repeat: int) -> None:
    for what, query in (
        ("most uncertain 100", lambda: uncertain(store, limit=100)),
        ("disagreements (50)", lambda: disagreements(store)),
    ):
        query()  # warm: plans and caches
        times = [timed(query)[0] for _ in range(repeat)]
        rows = len(query())
        median = statistics.median(times) * 1000
        print(
            f"{engine}: {what}: median {median:.0f} ms of {repeat} ({rows} rows; target "
            f"< 200 ms) {'OK' if median < 200 else 'SLOW'}",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="falkordb,neo4j", help="comma-separated")
    parser.add_argument("--single", type=int, default=2000, help="predictions written one by one")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    args = parser.parse_args()
    print(f"start: {load()}", flush=True)
    for key in args.engines.split(","):
        engine, start = ENGINES[key]
        with (
            tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp,
            start(Path(tmp)) as fresh,
        ):
            store = fresh("predictions")
            cli_env = None
            if key == "falkordb":  # the command opens the same embedded graph
                cli_env = {
                    "GRAPHKIT_GRAPH": f"embedded:{Path(tmp) / 'graph'}",
                    "GRAPHKIT_GRAPH_NAME": "predictions",
                    "GRAPHKIT_DATA_DIR": tmp,
                }
            try:
                bench_sync(engine, store, Path(tmp) / "reports", cli_env)
                bench_writes(engine, store, args.single)
                bench_queries(engine, store, args.repeat)
            finally:
                store.close()
    print(f"end: {load()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
