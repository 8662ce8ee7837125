"""Benchmark `graphkit analytics run` over the whole graph (target: under 30 s).

Populates a fresh embedded graph (a temporary GRAPHKIT_DATA_DIR) from ../shared/data, times the
`analytics run` command end to end, then two ratios against baselines run in the same process:
- write-back: batched UNWIND (5000 rows a query) vs one query per node, same rows;
- projection: RECOMMENDS aggregated to artists in Cypher vs raw edges fetched and counted here.

    python bench/bench_analytics.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable

from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.analytics.pipeline import analyse
from graphkit.analytics.writeback import write_rows
from graphkit.cli import main as cli_main
from graphkit.store import GraphStore

TARGET_S = 30.0


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def recommends_in_python(store: GraphStore) -> dict[tuple[str, str], int]:
    rows = store.cypher(
        "MATCH (w1:Artwork)-[:RECOMMENDS]->(w2:Artwork), (w1)-[:CREATED_BY]->(a1:Artist), "
        "(w2)-[:CREATED_BY]->(a2:Artist) RETURN a1.id AS a, a2.id AS b, w1.id AS w1, w2.id AS w2"
    ).rows
    pairs = {(r["a"], r["b"], r["w1"], r["w2"]) for r in rows if r["a"] != r["b"]}
    return dict(Counter((a, b) for a, b, _, _ in pairs))


def recommends_in_cypher(store: GraphStore) -> dict[tuple[str, str], int]:
    rows = store.read("analytics/recommends_edges").rows
    return {(r["source"], r["target"]): int(r["weight"]) for r in rows}


def main() -> int:
    args = arguments(__doc__).parse_args()
    with populated_graph(args.data) as (store, tmp):
        out = tmp / "analytics"
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                code = cli_main(["analytics", "run", "--no-progress", "--out", str(out)])
            runs.append(time.perf_counter() - start)
            if code != 0:
                print(f"analytics run failed with exit code {code}", file=sys.stderr)
                return 1
        run_s = min(runs)
        verdict = "OK" if run_s < TARGET_S else "TOO SLOW"
        print(
            f"analytics run (whole graph, best of {args.repeat}): {run_s:.2f} s "
            f"(median {statistics.median(runs):.2f} s), target < {TARGET_S:.0f} s: {verdict}"
        )

        result = analyse(store)
        rows = result.artist_rows()
        batched = best_of(args.repeat, lambda: write_rows(store, "analytics/write_artists", rows))
        per_node = best_of(
            1, lambda: write_rows(store, "analytics/write_artists", rows, batch_size=1)
        )
        print(
            f"write-back of {len(rows)} artists: batched {batched * 1000:.0f} ms, "
            f"one query per node {per_node * 1000:.0f} ms: {per_node / batched:.1f}x faster"
        )

        assert recommends_in_cypher(store) == recommends_in_python(store)
        in_cypher = best_of(args.repeat, lambda: recommends_in_cypher(store))
        in_python = best_of(args.repeat, lambda: recommends_in_python(store))
        print(
            f"RECOMMENDS -> artist edges: aggregated in Cypher {in_cypher * 1000:.0f} ms, "
            f"raw edges counted in Python {in_python * 1000:.0f} ms: "
            f"{in_python / in_cypher:.1f}x faster"
        )
    return 0 if run_s < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
