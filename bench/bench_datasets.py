"""Benchmark: `dataset build --label-via artist` over every source in ../shared/data.

Populates a fresh embedded graph in a temporary GRAPHKIT_DATA_DIR (about a minute), then
times the whole build (query, file checks, dedupe, splits, files, Dataset node) against the
5 s target, and the labelling step against a baseline run in the same process: a naive loop
that asks the graph about one artwork at a time. Both give the same labels (checked).

    python bench/bench_datasets.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import statistics
import sys
import time

from common import arguments, populated_graph  # bench/common.py, beside this script

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.datasets.labels import fetch_labels
from graphkit.store import GraphStore

TARGET_S = 5.0


def naive_labels(store: GraphStore) -> dict[str, str]:
    """The artist rule, one artwork at a time: the baseline the Cypher query replaces."""
    ids = store.cypher(
        "MATCH (w:Artwork) WHERE w.image_path IS NOT NULL RETURN w.id AS id ORDER BY id"
    ).rows
    labels = {}
    for row in ids:
        creators = store.cypher(
            "MATCH (w:Artwork {id: $id})-[r:CREATED_BY]->(a:Artist) "
            "WHERE coalesce(r.role, 'artist') = 'artist' RETURN DISTINCT a.id AS artist",
            {"id": row["id"]},
        ).rows
        if len(creators) != 1:
            continue
        movements = store.cypher(
            "MATCH (a:Artist {id: $id})-[:MEMBER_OF]->(m:Movement) RETURN DISTINCT m.name AS name",
            {"id": creators[0]["artist"]},
        ).rows
        if len(movements) == 1:
            labels[row["id"]] = movements[0]["name"]
    return labels


def main() -> int:
    args = arguments(__doc__).parse_args()
    with populated_graph(args.data) as (store, tmp):
        builds = []
        for n in range(args.repeat):
            start = time.perf_counter()
            summary = build_dataset(
                store, "bench", BuildOptions("artist"), tmp / "datasets" / f"b{n}"
            )
            builds.append(time.perf_counter() - start)
        print(
            f"build --label-via artist: {summary['size']} images, "
            f"{len(summary['classes'])} classes; median {statistics.median(builds):.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in builds)}) vs target {TARGET_S:.1f} s "
            f"-> {'PASS' if statistics.median(builds) < TARGET_S else 'FAIL'}"
        )

        start = time.perf_counter()
        cypher_rows = fetch_labels(store, "artist").rows
        cypher_s = time.perf_counter() - start
        start = time.perf_counter()
        naive = naive_labels(store)
        naive_s = time.perf_counter() - start
        same = naive == dict(zip(cypher_rows["artwork_id"], cypher_rows["label"], strict=True))
        print(
            f"labelling: one Cypher query {cypher_s:.2f} s, per-artwork loop {naive_s:.2f} s "
            f"-> {naive_s / cypher_s:.1f}x faster; same labels: {same}"
        )
    return 0 if statistics.median(builds) < TARGET_S and same else 1


if __name__ == "__main__":
    sys.exit(main())
