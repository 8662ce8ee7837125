"""Predictions written back, on both engines, with tiny real models on real images: training
registers the model, history and the current flag, idempotence, new and stale images after a
sync, sync's re-scoring, and the faults (unreadable images, a SIGKILL mid-run, weights that
are not the registered ones)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from graphkit.errors import ModelError
from graphkit.predictions.rows import prediction_row
from graphkit.predictions.write import write_predictions
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, sources_under, sync
from ml.artifacts import load_model_dir, sha256_file
from ml.graph_images import imaged_nodes
from ml.predict import load_registered, predict_graph
from ml.registry import ModelRecord, register_model, registered, weights_sha256
from tests.helpers import count, run_cli
from tests.prediction_helpers import DETECTOR_DATASET, Scene
from tests.source_copies import materialize

NAME = "detector-svm-dct"


def _predict(scene: Scene, model: Path | str, scope: str = "all", batch: int = 500):
    record, scorer = load_registered(scene.store, str(model))
    return predict_graph(scene.store, record, scorer, scope=scope, batch_size=batch, progress=False)


def _current(store: GraphStore, name: str = NAME) -> dict[str, dict]:
    rows = store.cypher(
        "MATCH (p:Prediction {current: true, model_name: $n})-[:ABOUT]->(t) "
        "RETURN t.id AS id, p.model_version AS version, p.image_sha256 AS sha, p.id AS pid",
        {"n": name},
    ).rows
    return {r["id"]: r for r in rows}


def _one_current_each(store: GraphStore) -> bool:
    """No node has two current predictions of one model name."""
    doubled = store.cypher(
        "MATCH (p:Prediction {current: true})-[:ABOUT]->(t) "
        "WITH t, p.model_name AS m, count(p) AS n WHERE n > 1 RETURN count(*) AS bad"
    ).value()
    return doubled == 0


def _replace_image(path: Path) -> None:
    """A source changing an image's content: the link becomes a real, different file."""
    image = Image.open(path).convert("RGB")
    path.unlink()
    image.rotate(180).save(path, quality=90)


def _resync(scene: Scene) -> None:
    sync(scene.store, sources_under(scene.src), SyncOptions(progress=False))


def test_training_registers_the_model(scene: Scene, tmp_path: Path) -> None:
    def train(seed: int) -> dict:
        result = run_cli(
            "train", "detector", "--kind", "svm-dct", "--dataset", DETECTOR_DATASET,
            "--seed", str(seed), "--out", str(tmp_path / f"m{seed}"), "--no-progress",
            data_dir=scene.data_dir, store=scene.store,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["registered"]

    assert train(0)["version"] == 1
    assert train(1)["version"] == 2
    rows = registered(scene.store, NAME)
    assert [r["version"] for r in rows] == [1, 2]
    assert rows[0]["sha256"] == weights_sha256(load_model_dir(tmp_path / "m0"))
    assert rows[0]["sha256"] != rows[1]["sha256"]
    assert rows[0]["dataset"] == DETECTOR_DATASET  # (Model)-[:TRAINED_ON]->(Dataset)
    assert json.loads(rows[0]["metrics"])["test"]["as_stored"]["overall"]["n"] > 0
    listed = run_cli("models", "list", "--json", data_dir=scene.data_dir, store=scene.store)
    assert [json.loads(line)["version"] for line in listed.stdout.splitlines()] == [1, 2]


def test_registering_a_directory_again_changes_nothing(scene: Scene, detectors: dict) -> None:
    first = scene.register(detectors["v1"])
    again, created = register_model(scene.store, detectors["v1"])
    assert (first.id, first.version, created) == (again.id, 1, False)
    other = scene.register(detectors["v1"], name="house-detector")
    assert (other.name, other.version) == ("house-detector", 1) and other.id != first.id
    assert count(scene.store, "(:Model)") == 2
    shown = run_cli("models", "show", NAME, data_dir=scene.data_dir, store=scene.store)
    assert shown.returncode == 0 and str(detectors["v1"]) in shown.stdout
    assert '"test"' in shown.stdout  # the metrics


def test_history_and_the_current_flag(scene: Scene, detectors: dict) -> None:
    images = imaged_nodes(scene.store)
    v1, v2 = scene.register(detectors["v1"]), scene.register(detectors["v2"])
    first = _predict(scene, detectors["v1"])
    assert first.selected == {"new": len(images)}
    assert first.counts.created == first.scored == len(images)
    current = _current(scene.store)
    assert set(current) == {i["id"] for i in images}
    assert {r["version"] for r in current.values()} == {1}
    assert count(scene.store, "(:Prediction)-[:BY]->(:Model {id: $id})", {"id": v1.id}) == len(
        images
    )

    # The same version on the same content: nothing to score, and rewriting creates nothing.
    again = _predict(scene, detectors["v1"])
    assert again.selected == {} and again.counts.created == 0
    rows = [prediction_row(i, ["ai", "human"], [0.3, 0.7], v1.sha256, "detector") for i in images]
    rows = [r for r in rows if r["id"] in {c["pid"] for c in current.values()}]
    assert len(rows) == len(images)  # the same identity as predict gave them
    assert write_predictions(scene.store, v1.id, rows).created == 0

    second = _predict(scene, NAME)  # by name: the latest version, v2
    assert second.model == f"{NAME} v2" and second.selected == {"stale": len(images)}
    assert second.counts.created == len(images) and second.counts.demoted == len(images)
    current = _current(scene.store)
    assert {r["version"] for r in current.values()} == {2}
    assert count(scene.store, "(p:Prediction {current: false, model_version: 1})") == len(images)
    assert count(scene.store, "(:Prediction)") == 2 * len(images)
    assert _one_current_each(scene.store)
    assert _predict(scene, NAME, scope="new").selected == {}
    assert v2.version == 2


def test_new_and_stale_scopes_follow_the_sources(scene: Scene, detectors: dict) -> None:
    scene.register(detectors["v1"])
    _predict(scene, detectors["v1"])
    changed = sorted((scene.src / "aic_paintings" / "images").iterdir())[0]
    _replace_image(changed)
    new_file = scene.src / "wikiart" / "Minimalism" / "added-by-the-source_untitled.jpg"
    shutil.copyfile(sorted((scene.src / "wikiart" / "Minimalism").iterdir())[0], new_file)
    _replace_image(new_file)
    _resync(scene)

    new = _predict(scene, detectors["v1"], scope="new")
    assert new.selected == {"new": 1} and new.counts.created == 1
    assert "wikiart:artwork:Minimalism/added-by-the-source_untitled" in _current(scene.store)
    stale = _predict(scene, detectors["v1"], scope="stale")
    assert stale.selected == {"stale": 1} and stale.counts.demoted == 1
    node_id = f"aic:artwork:{changed.stem}"
    history = scene.store.cypher(
        "MATCH (p:Prediction)-[:ABOUT]->(:Artwork {id: $id}) "
        "RETURN p.current AS current, p.image_sha256 AS sha ORDER BY current",
        {"id": node_id},
    ).rows
    assert [r["current"] for r in history] == [False, True]
    assert history[1]["sha"] == sha256_file(changed) != history[0]["sha"]
    assert _predict(scene, detectors["v1"]).selected == {}


def test_sync_rescores_new_changed_and_older_version_images(scene: Scene, detectors: dict) -> None:
    scene.register(detectors["v1"])
    _predict(scene, detectors["v1"])
    scene.register(detectors["v2"])  # registered, never run: v1's predictions are now stale
    _replace_image(sorted((scene.src / "aic_paintings" / "images").iterdir())[0])
    result = run_cli("sync", "--no-progress", data_dir=scene.data_dir, store=scene.store)
    assert result.returncode == 0, result.stderr
    images = {i["id"] for i in imaged_nodes(scene.store)}
    assert (
        "changed 1" in result.stdout
        and f"re-scored {len(images)} prediction(s) of 1 model(s)" in result.stdout
    )
    assert {r["version"] for r in _current(scene.store).values()} == {2}
    assert set(_current(scene.store)) == images
    quiet = run_cli("sync", "--no-progress", data_dir=scene.data_dir, store=scene.store)
    assert "re-scored 0 prediction(s)" in quiet.stdout
    assert quiet.stdout.count("files unchanged since the last load: skipped") == 5


def test_unreadable_images_are_skipped_and_listed(scene: Scene, detectors: dict) -> None:
    scene.register(detectors["v1"])
    files = [materialize(f) for f in sorted((scene.src / "aic_paintings" / "images").iterdir())[:2]]
    _resync(scene)  # the graph now names these two files
    files[0].unlink()  # vanished
    files[1].write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")  # corrupt
    result = run_cli(
        "predict", "--model", str(detectors["v1"]), "--no-progress", "--json",
        data_dir=scene.data_dir, store=scene.store,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [item["file"] for item in report["skipped"]] == [str(f.resolve()) for f in files]
    assert "no such image file" in report["skipped"][0]["reason"]
    assert "corrupt or truncated" in report["skipped"][1]["reason"]
    assert result.stderr.count("skipped: ") == 2
    assert report["scored"] == report["images"] - 2 == report["created"]
    lost = {f"aic:artwork:{f.stem}" for f in files}
    assert not lost & set(_current(scene.store))
    assert len(_current(scene.store)) == report["images"] - 2


def test_a_killed_run_is_finished_by_a_rerun(
    store: GraphStore, shared_data: Path, tmp_path: Path, detectors: dict
) -> None:
    from tests.prediction_helpers import make_scene
    from tests.source_copies import copy_wikiart

    scene = make_scene(store, shared_data, tmp_path)
    copy_wikiart(shared_data, tmp_path / "more", per_style=60)  # enough images to interrupt
    sync(store, [("wikiart", tmp_path / "more")], SyncOptions(progress=False))
    scene.register(detectors["v1"])
    total = len(imaged_nodes(store))
    env = {**os.environ, "GRAPHKIT_DATA_DIR": str(scene.data_dir), **store.cli_env}  # type: ignore[attr-defined]
    args = [sys.executable, "-m", "graphkit.cli", "predict", "--model", str(detectors["v1"])]
    run = subprocess.Popen([*args, "--batch", "8", "--no-progress"], env=env)
    deadline = time.monotonic() + 120
    written = 0
    while run.poll() is None and time.monotonic() < deadline and written == 0:
        written = count(store, "(:Prediction)")
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    written = count(store, "(:Prediction)")
    assert run.returncode == -signal.SIGKILL
    assert 0 < written < total, f"the kill should land mid-run: {written} of {total} written"

    rerun = run_cli("predict", "--model", str(detectors["v1"]), "--no-progress", "--json",
                    data_dir=scene.data_dir, store=store)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["selected"] == {"new": total - written}
    ids = store.cypher("MATCH (p:Prediction) RETURN count(p) AS n, count(DISTINCT p.id) AS d")
    assert ids.rows[0] == {"n": total, "d": total}
    assert len(_current(store)) == total and _one_current_each(store)


def test_weights_that_are_not_the_registered_ones_are_refused(
    scene: Scene, detectors: dict, tmp_path: Path
) -> None:
    copy = tmp_path / "model"
    shutil.copytree(detectors["v1"], copy)
    with pytest.raises(ModelError, match="not in the model registry"):
        load_registered(scene.store, str(copy))
    record: ModelRecord = scene.register(copy)

    # Other weights with a model.json that agrees with them: the registry entry does not.
    shutil.copyfile(detectors["v2"] / "svm.joblib", copy / "svm.joblib")
    meta = json.loads((copy / "model.json").read_text())
    meta["weights"]["svm.joblib"] = sha256_file(copy / "svm.joblib")
    (copy / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=f"do not match its registry entry {record.label()}"):
        load_registered(scene.store, str(copy))
    result = run_cli("predict", "--model", str(copy), data_dir=scene.data_dir, store=scene.store)
    assert result.returncode == 8
    assert result.stderr.strip().startswith("error: ") and len(result.stderr.splitlines()) == 1

    # A weight file changed behind model.json's back.
    with open(copy / "svm.joblib", "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match=r"sha256 does not match model\.json"):
        load_registered(scene.store, str(copy))
    assert count(scene.store, "(:Prediction)") == 0
