"""What the benchmarks share: where the data is, and a fresh embedded graph populated from it."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphkit.populate import populate_all
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRAPHKIT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def arguments(doc: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data directory")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")
    return parser


@contextmanager
def populated_graph(data: Path) -> Iterator[tuple[GraphStore, Path]]:
    """A fresh embedded graph populated from DATA, in a temporary data directory that is also
    set as GRAPHKIT_DATA_DIR, so `graphkit` commands run by the benchmark use the same graph."""
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        os.environ["GRAPHKIT_DATA_DIR"] = tmp
        os.environ.pop("GRAPHKIT_GRAPH", None)
        with open_store(Settings.from_env()) as store:
            start = time.perf_counter()
            populate_all(store, data, progress=False, reports_dir=Path(tmp) / "reports")
            print(
                f"populated every source from {data} in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            yield store, Path(tmp)
