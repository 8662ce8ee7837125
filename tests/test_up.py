"""`graphkit up`, the main job, as a user runs it (a subprocess), on each engine, over small
real copies of the five sources: the first run loads, trains, predicts, embeds and analyses;
a second run reuses all of it and writes nothing new."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from graphkit.store import GraphStore
from tests.helpers import cli_env, run_cli
from tests.source_copies import copy_wikiart, small_sources

MODELS = ("movement-efficientnet-lite0", "detector-backbone", "detector")


def _sources(shared_data: Path, out: Path) -> Path:
    src = small_sources(shared_data, out)
    # The styles dataset keeps a class with at least 10 images: 14 a style, not the copies' 8.
    for link in (src / "wikiart").rglob("*.jpg"):
        link.unlink()
    copy_wikiart(shared_data, src / "wikiart", per_style=14)
    return src


def _count(store: GraphStore, query: str) -> int:
    return int(store.cypher(query).value())


@pytest.mark.slow  # the main job, twice: trains three models
def test_up_builds_everything_then_reuses_it(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _sources(shared_data, tmp_path / "src")
    data_dir = tmp_path / "data"

    def up() -> str:
        # Progress on (the default) into a pipe, as into a log file: whole lines, no bar frames.
        result = run_cli(
            "up", str(src), "--no-serve", data_dir=data_dir, store=store, timeout=900
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stderr + result.stdout

    first = up()
    assert "\r" not in first
    assert re.search(r"^load \w+: \d+/\d+ row \(100%\).* done$", first, re.MULTILINE)
    for step in ("graph", "datasets", "models", "predictions", "embeddings", "analytics"):
        assert f"] {step}" in first
    assert all(f"{name}: training (" in first for name in MODELS)
    # the detectors that add nothing on validation are named, not trained
    assert "detector-svm-dct and detector-gfnet: not trained by `graphkit up`" in first
    state = json.loads((data_dir / "up-state.json").read_text())
    assert set(state["models"]) == set(MODELS)
    for name in MODELS:
        assert (data_dir / "models" / name / "model.json").is_file()
    imaged = _count(
        store,
        "MATCH (n) WHERE (n:Artwork AND n.image_path IS NOT NULL) OR "
        "(n:GeneratedImage AND n.path IS NOT NULL) RETURN count(n)",
    )
    assert imaged > 50
    by_model = store.cypher(
        "MATCH (p:Prediction)-[:BY]->(m:Model) WHERE p.current RETURN m.name AS name, count(p) AS n"
    ).rows
    assert {r["name"]: r["n"] for r in by_model} == dict.fromkeys(MODELS, imaged)
    embedded = "MATCH (n) WHERE n.embedding_model IS NOT NULL RETURN count(n)"
    assert _count(store, embedded) == imaged
    assert _count(store, "MATCH (a:Artist) WHERE a.pagerank IS NOT NULL RETURN count(a)") >= 5
    assert _count(store, "MATCH (m:Movement) WHERE m.member_count > 0 RETURN count(m)") >= 3

    predictions = _count(store, "MATCH (p:Prediction) RETURN count(p)")
    models = _count(store, "MATCH (m:Model) RETURN count(m)")
    second = _serve_then_stop(src, data_dir, store)
    assert "syncing" in second
    assert all(f"{name}: reused" in second for name in MODELS)
    assert "training (" not in second
    assert "every image has this model's embedding" in second
    assert _count(store, "MATCH (p:Prediction) RETURN count(p)") == predictions
    assert _count(store, "MATCH (m:Model) RETURN count(m)") == models
    assert json.loads((data_dir / "up-state.json").read_text()) == state


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_then_stop(src: Path, data_dir: Path, store: GraphStore) -> str:
    """Run `graphkit up` to the end, where it serves; check the page and the API answer, then
    stop it with Ctrl-C (SIGINT), which must end it promptly. Returns what it printed."""
    port = _free_port()
    command = [sys.executable, "-m", "graphkit.cli", "up", str(src), "--no-progress"]
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "1"],
            env=cli_env(data_dir, store=store), stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            health = _wait_for(f"http://127.0.0.1:{port}/api/health", process, timeout=600)
            assert health["graph"]["reachable"] is True
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                assert page.status == 200 and b"<html" in page.read().lower()
        finally:
            process.send_signal(signal.SIGINT)
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                raise AssertionError("graphkit up did not stop within 60 s of Ctrl-C") from None
        out.seek(0)
        text = out.read()
    assert code == 0, text[-3000:]
    assert f"serving at http://127.0.0.1:{port}/" in text
    assert "SIGABRT" not in text and "Traceback" not in text, text[-3000:]
    return text


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"graphkit up ended with {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:  # 503 while a model is missing: still served
            return json.loads(exc.read())
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("dataset_sha256", "its dataset changed since it was trained"),
        ("code_sha256", "its code changed since it was trained"),
        ("weights_sha256", "its files are not the ones trained here"),
    ],
)
def test_a_model_is_retrained_when_what_made_it_changed(
    tmp_path: Path, change: str, why: str
) -> None:
    from graphkit.up import reusable
    from ml.artifacts import ModelMeta, save_model_dir
    from ml.registry import weights_sha256

    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "w.bin").write_bytes(b"weights")
    meta = ModelMeta(
        task="detector", kind="svm-dct", classes=["ai", "human"], weights={"w.bin": ""}
    )
    save_model_dir(model_dir, meta)
    inputs = {"dataset_sha256": "d" * 64, "code_sha256": "c" * 64}
    recorded = {**inputs, "weights_sha256": weights_sha256(meta)}
    assert reusable(model_dir, recorded, inputs) == ""
    assert reusable(model_dir, None, inputs) == "no record of what it was trained on"
    assert reusable(model_dir, {**recorded, change: "0" * 64}, inputs) == why
    (model_dir / "w.bin").write_bytes(b"tampered")
    assert "sha256 does not match" in reusable(model_dir, recorded, inputs)
