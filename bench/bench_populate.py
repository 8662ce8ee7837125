"""Populate benchmark.

1. `populate all` from ../shared/data into a fresh embedded graph (target: under 60 s).
2. The same rows written row by row (one MERGE transaction per row, the seed project's way)
   and in batched UNWIND transactions, in one run on one server: the speed-up (target: 20x).

Run: python bench/bench_populate.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.loader import DEFAULT_BATCH_SIZE, Loader
from graphkit.populate import populate_all
from graphkit.records import SourceBatch
from graphkit.schema import apply_schema
from graphkit.sources import tate
from graphkit.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def store_on(server: EmbeddedServer, name: str) -> GraphStore:
    store = GraphStore(FalkorEngine(graph_name=name, where=name, unix_socket=server.socket_path))
    apply_schema(store)
    return store


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
    started = time.perf_counter()
    summary = Loader(store, batch_size=batch_size, progress=False).load(batch)
    return time.perf_counter() - started, summary.total().created


def compare_batching(server: EmbeddedServer, rows: int, repeats: int) -> None:
    """Best of REPEATS for each way, each into a fresh graph, so a background task of the
    server (a log rewrite) does not decide the ratio."""
    batch = sample(tate.read(SHARED / "tate"), rows)
    row_times, batched_times, created = [], [], set()
    for attempt in range(repeats):
        for size, times in ((1, row_times), (DEFAULT_BATCH_SIZE, batched_times)):
            seconds, count = timed_load(store_on(server, f"b{size}-{attempt}"), batch, size)
            times.append(seconds)
            created.add(count)
    assert len(created) == 1, "both ways must write the same graph"
    ratio = min(row_times) / min(batched_times)
    print(
        f"{batch.count_rows()} rows, best of {repeats}: one MERGE per row {min(row_times):.2f} s, "
        f"batched ({DEFAULT_BATCH_SIZE} rows) {min(batched_times):.2f} s, speed-up {ratio:.1f}x "
        f"(target >= 20x) {'OK' if ratio >= 20 else 'BELOW TARGET'}"
    )


def time_populate_all(server: EmbeddedServer, reports: Path) -> None:
    started = time.perf_counter()
    populate_all(store_on(server, "full"), SHARED, progress=False, reports_dir=reports)
    total = time.perf_counter() - started
    print(f"populate all {SHARED}: {total:.1f} s (target < 60 s) {'OK' if total < 60 else 'SLOW'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="artworks in the batching test")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each way of writing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        server = EmbeddedServer(Path(tmp) / "graph")
        server.ensure_started()
        try:
            compare_batching(server, args.rows, args.repeats)
            time_populate_all(server, Path(tmp) / "reports")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
