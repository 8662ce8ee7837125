"""Populate benchmark, on both engines in one run: the embedded FalkorDB and a local Neo4j 5.26.

1. `populate all` from ../shared/data into a fresh graph (target: under 60 s on each engine),
   with rows/s.
2. The same rows written row by row (one MERGE transaction per row, the seed project's way
   over Bolt) and in batched UNWIND transactions, on one server: the speed-up (target on
   Neo4j: at least 20x), with rows/s for each.

Run: python bench/bench_populate.py [--rows N] [--repeats N] [--engines falkordb,neo4j]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import ENGINES, SHARED, FreshGraph

from graphkit.loader import DEFAULT_BATCH_SIZE, Loader
from graphkit.populate import populate_all
from graphkit.records import SourceBatch
from graphkit.sources import tate
from graphkit.store import GraphStore


def sample(batch: SourceBatch, rows: int) -> SourceBatch:
    """The first ROWS Tate artworks with their artists and CREATED_BY links."""
    small = SourceBatch(batch.source)
    keep = dict(list(batch.nodes["Artwork"].items())[:rows])
    small.nodes["Artwork"] = keep
    small.rels["CREATED_BY"] = {k: v for k, v in batch.rels["CREATED_BY"].items() if k[0] in keep}
    wanted = {v.end for v in small.rels["CREATED_BY"].values()}
    small.artists = [a for a in batch.artists if a.source_id in wanted]
    return small


def timed_load(store: GraphStore, batch: SourceBatch, batch_size: int) -> tuple[float, int]:
    try:
        started = time.perf_counter()
        summary = Loader(store, batch_size=batch_size, progress=False).load(batch)
        return time.perf_counter() - started, summary.total().created
    finally:
        store.close()


def compare_batching(engine: str, fresh: FreshGraph, batch: SourceBatch, repeats: int) -> None:
    """Best of REPEATS for each way, each into a fresh graph, so a background task of the
    server does not decide the ratio."""
    row_times, batched_times, created = [], [], set()
    for attempt in range(repeats):
        for size, times in ((1, row_times), (DEFAULT_BATCH_SIZE, batched_times)):
            seconds, count = timed_load(fresh(f"b{size}-{attempt}"), batch, size)
            times.append(seconds)
            created.add(count)
    assert len(created) == 1, "both ways must write the same graph"
    rows = batch.count_rows()
    one, batched = min(row_times), min(batched_times)
    ratio = one / batched
    print(
        f"{engine}: {rows} rows, best of {repeats}: one MERGE per row {one:.2f} s "
        f"({rows / one:,.0f} rows/s), batched ({DEFAULT_BATCH_SIZE} rows) {batched:.2f} s "
        f"({rows / batched:,.0f} rows/s), speed-up {ratio:.1f}x (target >= 20x) "
        f"{'OK' if ratio >= 20 else 'BELOW TARGET'}",
        flush=True,
    )


def time_populate_all(engine: str, fresh: FreshGraph, reports: Path) -> None:
    store = fresh("full")
    try:
        started = time.perf_counter()
        summaries = populate_all(store, SHARED, progress=False, reports_dir=reports)
        total = time.perf_counter() - started
    finally:
        store.close()
    rows = sum(s.total().created + s.total().updated + s.total().unchanged for s in summaries)
    print(
        f"{engine}: populate all {SHARED}: {total:.1f} s, {rows / total:,.0f} rows/s "
        f"(target < 60 s) {'OK' if total < 60 else 'SLOW'}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="artworks in the batching test")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each way of writing")
    parser.add_argument("--engines", default="falkordb,neo4j", help="comma-separated")
    args = parser.parse_args()
    batch = sample(tate.read(SHARED / "tate"), args.rows)
    for key in args.engines.split(","):
        engine, start = ENGINES[key]
        with (
            tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp,
            start(Path(tmp)) as fresh,
        ):
            compare_batching(engine, fresh, batch, args.repeats)
            time_populate_all(engine, fresh, Path(tmp) / "reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
