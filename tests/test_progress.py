"""Progress: a bar on a terminal, whole lines in a log, nothing with --no-progress."""

from __future__ import annotations

import io
import os
from pathlib import Path

from tqdm import tqdm

from graphkit.progress import LineProgress, Silent, progress_bar
from graphkit.store import GraphStore
from tests.helpers import run_cli


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_every_tenth_and_every_few_seconds_never_a_carriage_return() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = LineProgress(1000, "load tate", "row", stream, every_s=10.0, clock=clock)
    for _ in range(1000):
        clock.now += 0.001
        bar.update(1)
    bar.close()
    bar.close()  # closing twice writes one final line
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 10  # 10%, 20%, ... 90%, then the final line at 100%
    assert lines[0].startswith("load tate: 100/1000 row (10%)")
    assert lines[-1].startswith("load tate: 1000/1000 row (100%)") and lines[-1].endswith("done")

    slow, clock = io.StringIO(), Clock()
    bar = LineProgress(10**6, "predict", "image", slow, every_s=10.0, clock=clock)
    for _ in range(25):
        clock.now += 1.0
        bar.update(1)
    assert len(slow.getvalue().splitlines()) == 2  # at 10 s and 20 s: far below 10% each
    bar.set_postfix(epoch=2, loss="0.1234")
    bar.close()
    assert slow.getvalue().splitlines()[-1].endswith("epoch=2, loss=0.1234 done")


def test_an_unknown_total_counts_without_a_share() -> None:
    stream = io.StringIO()
    bar = LineProgress(None, "decode", "image", stream)
    bar.update(3)
    bar.close()
    assert stream.getvalue().startswith("decode: 3 image, ")


def test_the_reader_decides_the_kind() -> None:
    assert isinstance(progress_bar(5, "x", enabled=False), Silent)
    assert isinstance(progress_bar(5, "x", enabled=True, stream=io.StringIO()), LineProgress)
    leader, follower = os.openpty()
    try:
        with os.fdopen(follower, "w") as terminal:
            bar = progress_bar(5, "x", enabled=True, stream=terminal)
            assert isinstance(bar, tqdm)
            bar.close()
    finally:
        os.close(leader)


def test_populate_into_a_log_writes_whole_lines(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    # stderr is a pipe here, as it is into a log file, CI or `docker compose logs`.
    result = run_cli(
        "populate", "datathon", str(shared_data / "datathon"), "--batch-size", "500",
        data_dir=tmp_path, store=store,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "\r" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("load datathon: ")]
    assert len(lines) >= 3 and lines[-1].endswith("done"), result.stderr[-2000:]


def test_every_kind_closes_as_a_context_manager() -> None:
    stream = io.StringIO()
    with progress_bar(2, "predict", enabled=True, stream=stream) as bar:
        bar.update(2)
    assert stream.getvalue().rstrip().endswith("done")
    with progress_bar(2, "predict", enabled=False) as silent:
        silent.update(2)
