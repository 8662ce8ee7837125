"""What curators ask of the predictions and what people decide, on both engines, with tiny real
models: the curator queries checked against the graph itself, movement predictions linked to
movements and their disagreements with the record, reviews that confirm or correct, the review
queue, and a correction flowing into the next dataset."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.datasets.manifest import read_manifest
from graphkit.errors import ReviewError
from graphkit.predictions import curator
from graphkit.predictions.reviews import record_review
from ml.predict import load_registered, predict_graph
from tests.helpers import run_cli
from tests.prediction_helpers import DETECTOR_DATASET, MISFILED, Scene


def _predict(scene: Scene, model_dir: Path) -> None:
    scene.register(model_dir)
    record, scorer = load_registered(scene.store, str(model_dir))
    predict_graph(scene.store, record, scorer, progress=False)


def _cli(scene: Scene, *args: str) -> list[dict]:
    result = run_cli(*args, "--json", data_dir=scene.data_dir, store=scene.store)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _current_rows(scene: Scene) -> list[dict]:
    return scene.store.cypher(
        "MATCH (p:Prediction {current: true})-[:ABOUT]->(t) "
        "RETURN t.id AS id, p.id AS prediction, p.label AS label, p.margin AS margin, "
        "p.model_name AS model, p.probabilities AS probabilities"
    ).rows


def test_detector_queries_answer_from_the_graph(scene: Scene, detectors: dict) -> None:
    _predict(scene, detectors["v1"])
    rows = _current_rows(scene)
    for row in rows:  # the stored probabilities agree with label and margin
        probs = sorted(json.loads(row["probabilities"]).values(), reverse=True)
        assert abs(sum(probs) - 1) < 1e-4 and abs(probs[0] - probs[1] - row["margin"]) < 1e-4

    uncertain = _cli(scene, "predictions", "uncertain", "-n", "10")
    expected = sorted(rows, key=lambda r: (r["margin"], r["id"]))[:10]
    assert [r["prediction"] for r in uncertain] == [r["prediction"] for r in expected]

    # AI share per artist, from the raw graph: own works and images made in their style.
    made = scene.store.cypher(
        "MATCH (p:Prediction {current: true})-[:ABOUT]->(t)-[r:CREATED_BY|IN_STYLE_OF]->"
        "(a:Artist) WHERE coalesce(r.role, 'artist') = 'artist' "
        "RETURN a.id AS artist, t.id AS node, p.label AS label"
    ).rows
    per_artist: dict[str, dict[str, str]] = defaultdict(dict)
    for row in made:
        per_artist[row["artist"]][row["node"]] = row["label"]
    share = {
        artist: sum(label == "ai" for label in nodes.values()) / len(nodes)
        for artist, nodes in per_artist.items()
        if len(nodes) >= 2
    }
    answered = _cli(scene, "predictions", "ai-share", "--min-images", "2", "-n", "1000")
    assert {r["artist_id"]: r["share"] for r in answered} == pytest.approx(share)
    assert any(r["images"] >= 4 for r in answered)  # the generated grids: four tiles each

    one = rows[0]["id"]
    current = _cli(scene, "predictions", "current", one)
    assert [(r["id"], r["label"]) for r in current] == [(one, rows[0]["label"])]
    lineage = curator.lineage(scene.store, one)
    assert len(lineage) == 1 and lineage[0]["prediction"] == rows[0]["prediction"]
    step = lineage[0]
    assert (step["model"], step["version"], step["dataset"]) == ("detector-svm-dct", 1, "det")
    assert step["query_name"] == "datasets/label_via_source_kind"
    assert "GeneratedImage" in step["query"] and step["same_dataset"] is True
    # Rebuilt under the same name with another split: no longer what the model was trained on.
    build_dataset(
        scene.store, DETECTOR_DATASET, BuildOptions("source-kind", min_per_class=5, seed=3),
        scene.data_dir / "det-again",
    )  # fmt: skip
    assert curator.lineage(scene.store, rows[0]["prediction"])[0]["same_dataset"] is False
    text = run_cli("predictions", "lineage", one, data_dir=scene.data_dir, store=scene.store)
    assert "rebuilt since the model was trained" in text.stdout


def test_movement_predictions_and_where_they_contradict_the_record(
    scene: Scene,
    lite0: tuple,
) -> None:
    _, _, model_dir = lite0
    _predict(scene, model_dir)
    linked = scene.store.cypher(
        "MATCH (p:Prediction {task: 'movement'})-[:PREDICTS]->(m:Movement) "
        "RETURN p.label AS label, m.name AS movement"
    ).rows
    predictions = scene.store.cypher("MATCH (p:Prediction) RETURN count(p) AS n").value()
    assert len(linked) == predictions and all(r["label"] == r["movement"] for r in linked)

    # From the raw graph: the predicted movement is none of the artist's, one of which the
    # model knows.
    facts = scene.store.cypher(
        "MATCH (p:Prediction {current: true})-[:ABOUT]->(t)-[r:CREATED_BY|IN_STYLE_OF]->"
        "(a:Artist)-[:MEMBER_OF]->(m:Movement) WHERE coalesce(r.role, 'artist') = 'artist' "
        "RETURN t.id AS id, a.id AS artist, p.label AS label, collect(m.name) AS known"
    ).rows
    known_classes = set(scene.store.cypher("MATCH (m:Model) RETURN m.classes AS c").value())
    expected = {
        (f["id"], f["artist"])
        for f in facts
        if f["label"] not in f["known"] and set(f["known"]) & known_classes
    }
    found = _cli(scene, "predictions", "disagreements", "-n", "1000")
    assert {(r["id"], r["artist_id"]) for r in found} == expected
    misfiled = f"wikiart:artwork:Baroque/{Path(MISFILED).stem}"
    row = next(r for r in found if r["id"] == misfiled)
    assert row["predicted"] == "Pointillism" and row["known_movements"] == ["Baroque"]
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True)


def test_a_review_corrects_and_reaches_the_next_dataset(scene: Scene, detectors: dict) -> None:
    _predict(scene, detectors["v1"])
    tile = (
        "generated:"
        + sorted(p.stem for p in (scene.src / "ai_generated" / "grids").iterdir())[0]
        + ":3"
    )
    predicted = curator.current(scene.store, node_id=tile)[0]["label"]
    rows = record_review(scene.store, tile, "human", note="a photograph", by="curator")
    assert [(r["verdict"], r["predicted"]) for r in rows] == [
        ("confirms" if predicted == "human" else "corrects", predicted)
    ]
    assert tile not in {
        r["id"] for r in curator.uncertain(scene.store, limit=1000, unreviewed=True)
    }
    assert tile in {r["id"] for r in curator.uncertain(scene.store, limit=1000)}
    with pytest.raises(ReviewError, match="no class of the models"):
        record_review(scene.store, tile, "Baroque")
    with pytest.raises(ReviewError, match="no current prediction"):
        record_review(scene.store, "aic:artwork:none", "ai")

    def label_of(name: str, prefer: bool) -> dict[str, str]:
        out = scene.data_dir / name
        options = BuildOptions("source-kind", min_per_class=5, prefer_reviewed=prefer)
        summary = build_dataset(scene.store, name, options, out)
        manifest = read_manifest(out)
        grid = manifest[manifest["artwork_id"].str.startswith(tile[:-1])]
        return dict(zip(grid["artwork_id"], grid["label"], strict=True)) | {"_": summary}

    reviewed = label_of("with-reviews", prefer=True)
    assert reviewed[tile] == "human"
    assert {reviewed[tile[:-1] + str(i)] for i in range(3)} == {"ai"}  # its grid's other tiles
    assert reviewed["_"]["reviews"] == {"reviewed": 1, "confirmed": 0, "corrected": 1, "added": 0}
    assert "reviewed_labels" in reviewed["_"]["query_name"]
    assert label_of("without", prefer=False)[tile] == "ai"

    # The command line: a later review of the same tile stands; the queue skips reviewed tiles.
    second = run_cli("review", tile, "ai", "--by", "second opinion", data_dir=scene.data_dir,
                     store=scene.store)  # fmt: skip
    assert second.returncode == 0 and "detector-svm-dct" in second.stdout
    assert label_of("later", prefer=True)[tile] == "ai"
    queue = _cli(scene, "review", "queue", "-n", "5")
    assert len(queue) == 5 and tile not in {r["id"] for r in queue}
    margins = [r["margin"] for r in queue]
    assert margins == sorted(margins)

    def verdict(label: str) -> str:
        return "confirms" if label == predicted else "corrects"

    reviews = curator.lineage(scene.store, tile)[0]["reviews"]
    assert sorted(reviews) == [f"ai ({verdict('ai')})", f"human ({verdict('human')})"]
