# ruff: noqa: F811  (pytest fixtures imported from helper modules are parameters here)
"""Both detectors trained on a small real slice (generated tiles vs AIC and WikiArt images),
offline: they beat chance widely, reload to identical scores, ONNX agrees with PyTorch, and
every bad input gets its one-line error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graphkit.errors import ImageError, ModelError
from ml.artifacts import ModelMeta, load_model_dir
from ml.detectors import preprocess
from ml.detectors.data import JPEG75, PLAIN, load_split
from ml.detectors.detect import detect_images
from ml.detectors.metrics import per_source_metrics
from ml.detectors.scorers import SVM_FILE, load_detector
from ml.evaluate_detector import evaluate
from tests.detector_helpers import image_graph, models, slice_dir, train_slice  # noqa: F401
from tests.helpers import run_cli
from tests.ml_helpers import (
    no_network_fixture,  # noqa: F401 (the `no_network` fixture)
)


def _test_split(slice_dir: Path, data_dir: Path):
    from graphkit.datasets.manifest import read_manifest, read_summary

    sha = read_summary(slice_dir)["manifest_sha256"]
    return load_split(read_manifest(slice_dir), sha, "test", [PLAIN, JPEG75], cache_dir=data_dir)


@pytest.mark.parametrize("kind", ["svm-dct", "gfnet"])
def test_both_beat_chance_widely(models: dict, kind: str) -> None:
    meta: ModelMeta = models[kind]
    plain = meta.metrics["test"][PLAIN]["overall"]
    assert plain["n"] >= 100
    # A few hundred images and a minute of training: well above chance (0.5), not the full
    # model's figures (those are in the README).
    assert plain["balanced_accuracy"] >= 0.62, plain
    assert plain["roc_auc"] >= 0.7, plain
    assert meta.metrics["test"][JPEG75]["overall"]["balanced_accuracy"] >= 0.6
    for source in ("generated", "aic", "wikiart"):
        assert source in meta.metrics["test"][PLAIN]


@pytest.mark.parametrize("kind", ["svm-dct", "gfnet"])
def test_model_dir_records_what_it_is(models: dict, kind: str) -> None:
    meta = load_model_dir(models[kind].path, expect_task="detector")
    assert meta.kind == kind and meta.classes == ["ai", "human"]
    assert meta.dataset_id == "dataset:detector-slice"
    assert meta.config["seed"] == 0 and meta.config["augment"]["jpeg_quality"] == [60, 100]
    assert meta.preprocessing["crop"] == preprocess.CROP
    assert meta.preprocessing["spectra"]["block"] == 64
    assert all(len(sha) == 64 for sha in meta.weights.values())


def test_reloaded_models_give_the_recorded_scores(
    models: dict, slice_dir: Path, no_network: list
) -> None:
    test = _test_split(slice_dir, models["root"] / "cache")
    for kind in ("svm-dct", "gfnet"):
        detector = load_detector(models[kind].path)
        scored = {
            v: per_source_metrics(
                test.y,
                detector.score_canvases(test.variant(v), test.variant_spectra(v)),
                test.sources,
            )
            for v in (PLAIN, JPEG75)
        }
        assert scored == models[kind].metrics["test"], kind
    assert no_network == []


def test_onnx_and_pytorch_agree(models: dict, slice_dir: Path) -> None:
    test = _test_split(slice_dir, models["root"] / "cache")
    onnx = load_detector(models["gfnet"].path)
    torch_model = load_detector(models["gfnet"].path, runtime="torch")
    assert (onnx.runtime, torch_model.runtime) == ("onnxruntime", "torch")
    views = test.variant(PLAIN), test.variant_spectra(PLAIN)
    a, b = onnx.score_canvases(*views), torch_model.score_canvases(*views)
    assert np.max(np.abs(a - b)) <= 1e-4
    assert a.std() > 0.05  # real, varied scores
    assert models["gfnet"].metrics["onnx_max_abs_difference"] <= 1e-4


def test_scoring_decoded_images_matches_the_cached_views(models: dict, slice_dir: Path) -> None:
    """score_images (what detect, evaluate and the API call) sees an image as training did."""
    from graphkit.datasets.manifest import read_manifest

    test = _test_split(slice_dir, models["root"] / "cache")
    rows = read_manifest(slice_dir).set_index("artwork_id").loc[test.rows["artwork_id"][:20]]
    images = [
        preprocess.load(
            r.image_path, preprocess.parse_crop(r.crop if isinstance(r.crop, str) else None)
        )
        for r in rows.itertuples()
    ]
    for kind in ("svm-dct", "gfnet"):
        detector = load_detector(models[kind].path)
        cached = detector.score_canvases(test.variant(PLAIN)[:20], test.variant_spectra(PLAIN)[:20])
        assert np.allclose(detector.score_images(images), cached, atol=1e-3), kind


def test_same_seed_same_metrics(models: dict, slice_dir: Path, tmp_path: Path) -> None:
    again = train_slice("svm-dct", slice_dir, tmp_path / "again", models["root"] / "data")
    assert again.metrics["test"] == models["svm-dct"].metrics["test"]


def test_tampered_model_is_refused(models: dict, tmp_path: Path) -> None:
    copy = tmp_path / "svm"
    shutil.copytree(models["svm-dct"].path, copy)
    data = bytearray((copy / SVM_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / SVM_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"svm\.joblib: sha256 does not match"):
        load_detector(copy)
    result = run_cli("detect", "--model", str(copy), __file__, data_dir=tmp_path)
    assert result.returncode == 8
    assert result.stderr.strip().count("\n") == 0 and "svm.joblib" in result.stderr
    shutil.rmtree(copy)
    result = run_cli("detect", "--model", str(copy), __file__, data_dir=tmp_path)
    assert result.returncode == 8 and "no such model directory" in result.stderr


def _eval_folder(root: Path, slice_dir: Path, shared_data: Path) -> Path:
    """DIR/ai: a few real tiles saved as PNG; DIR/human: real AIC and WikiArt files."""
    from graphkit.datasets.manifest import read_manifest

    test = read_manifest(slice_dir).query("split == 'test'")
    (root / "ai").mkdir(parents=True)
    (root / "human").mkdir()
    for row in test.query("label == 'ai'").head(12).itertuples():
        tile = preprocess.load(row.image_path, preprocess.parse_crop(row.crop))
        tile.save(root / "ai" / f"{row.artwork_id.replace(':', '_')}.png")
    for row in test.query("label == 'human'").head(12).itertuples():
        shutil.copy(row.image_path, root / "human" / Path(row.image_path).name)
    return root


def test_evaluate_cli_prints_metrics_and_plots(
    models: dict, slice_dir: Path, shared_data: Path, tmp_path: Path
) -> None:
    folder = _eval_folder(tmp_path / "eval", slice_dir, shared_data)
    (folder / "human" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    plots = tmp_path / "plots"
    result = run_cli(
        "evaluate",
        str(models["svm-dct"].path),
        "--images",
        str(folder),
        "--plot",
        str(plots),
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 24
    assert {"balanced_accuracy", "f1", "roc_auc", "confusion_matrix"} <= set(report)
    assert np.array(report["confusion_matrix"]).sum() == 24
    assert [s["file"] for s in report["skipped"]] == [str(folder / "human" / "broken.jpg")]
    for name in ("roc.png", "confusion_matrix.png"):
        assert Image.open(plots / name).size[0] > 100


def test_evaluate_needs_ai_and_human_folders(models: dict, tmp_path: Path) -> None:
    (tmp_path / "only" / "ai").mkdir(parents=True)
    with pytest.raises(
        ImageError, match=r"only: needs sub-folders ai/ and human/ \(missing: human"
    ):
        evaluate(models["svm-dct"], tmp_path / "only", None)
    result = run_cli(
        "evaluate",
        str(models["svm-dct"].path),
        "--images",
        str(tmp_path / "only"),
        data_dir=tmp_path,
    )
    assert result.returncode == 9 and result.stderr.startswith("error: ")
    assert "\n" not in result.stderr.strip()


def test_detect_scores_good_files_and_lists_bad_ones(
    models: dict, slice_dir: Path, tmp_path: Path, no_network: list
) -> None:
    from tests.test_ml_images import png_header_only

    good = tmp_path / "good.jpg"
    Image.new("RGB", (300, 200), (200, 30, 30)).save(good)
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (1, 1), (9, 9, 9)).save(tiny)
    cmyk = tmp_path / "cmyk.tif"
    Image.new("CMYK", (64, 64), (0, 90, 200, 10)).save(cmyk)
    huge = png_header_only(tmp_path / "huge.png", 20000, 20000)
    empty = tmp_path / "empty.webp"
    empty.write_bytes(b"")
    dirs = [models["svm-dct"].path, models["gfnet"].path]
    rows, skipped = detect_images([good, huge, tiny, empty, cmyk], dirs)
    assert [r["image"] for r in rows] == [str(good), str(tiny), str(cmyk)]
    for row in rows:
        assert set(row["p_ai"]) == {"svm-dct", "gfnet"}
        assert all(0.0 <= p <= 1.0 for p in row["p_ai"].values())
    assert [p for p, _ in skipped] == [huge, empty]
    assert "refused before decoding" in skipped[0][1]
    result = run_cli(
        "detect", "--json", *map(str, dirs_args(dirs)), str(good), str(empty), data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["image"] == str(good)
    assert "skipped:" in result.stderr and "empty.webp: empty file" in result.stderr
    assert no_network == []


def dirs_args(dirs: list[Path]) -> list[str]:
    return [arg for d in dirs for arg in ("--model", str(d))]


def test_train_cli_writes_a_model_dir(slice_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(slice_dir, tmp_path / "datasets" / "detector-slice")
    out = tmp_path / "svm"
    result = run_cli(
        "train",
        "detector",
        "--kind",
        "svm-dct",
        "--dataset",
        "detector-slice",
        "--out",
        str(out),
        "--no-progress",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["model_dir"] == str(out)
    assert printed["test"] == load_model_dir(out).metrics["test"]
    result = run_cli("train", "detector", "--kind", "gfnet", "--dataset", "nope", data_dir=tmp_path)
    assert result.returncode == 7 and "unknown dataset 'nope'" in result.stderr
