"""Every detector trained on a small real slice (generated tiles vs AIC and WikiArt images) by
the container-blind recipe, offline: they beat chance on the battery, score an image alike
whatever its container, reload to identical scores, svm-dct's fast path equals libsvm, ONNX
agrees with PyTorch, the ensemble is calibrated on validation, and every bad input gets its
one-line error."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graphkit.errors import ImageError, ModelError
from ml.artifacts import ModelMeta, load_model_dir
from ml.detectors import preprocess
from ml.detectors.battery import TRANSFORMS
from ml.detectors.containers import encode
from ml.detectors.data import FEATURES_VERSION, load_split
from ml.detectors.detect import detect_images
from ml.detectors.metrics import per_source_metrics
from ml.detectors.scorers import PARTS_OF, SVM_FILE, load_detector
from ml.evaluate_detector import evaluate
from tests.detector_helpers import train_slice
from tests.helpers import run_cli

KINDS = ("svm-dct", "backbone", "gfnet", "ensemble")


def _test_split(slice_dir: Path, models: dict, parts: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The slice's test battery as training computed it (read back from the cache)."""
    from graphkit.datasets.manifest import read_manifest, read_summary
    from graphkit.settings import Settings
    from ml.detectors.train import SplitLoader, TrainRequest

    summary = read_summary(slice_dir)
    settings = Settings.from_env({"GRAPHKIT_DATA_DIR": str(models["root"] / "data")})
    request = TrainRequest("svm-dct", None, models["root"], progress=False)
    loader = SplitLoader(settings, request, parts, summary)
    return loader.load(read_manifest(slice_dir), "test", None)


def _images(slice_dir: Path, split: str, count: int) -> list[tuple[Image.Image, int]]:
    """COUNT real images of SPLIT, half of each class, cut to their tiles."""
    from graphkit.datasets.manifest import read_manifest

    rows = read_manifest(slice_dir).query("split == @split")
    picked = pd_concat(rows, count)
    return [
        (
            preprocess.load(
                r.image_path, preprocess.parse_crop(r.crop if isinstance(r.crop, str) else None)
            ),
            int(r.label == "ai"),
        )
        for r in picked.itertuples()
    ]


def pd_concat(rows, count: int):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.concat(
        [
            rows[rows["label"] == "ai"].head(count // 2),
            rows[rows["label"] == "human"].head(count // 2),
        ]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_beats_chance_on_the_battery(models: dict, kind: str) -> None:
    meta: ModelMeta = models[kind]
    stored = meta.metrics["test"]["as_stored"]["overall"]
    assert stored["n"] >= 100
    # A few hundred images and minutes of training: well above chance (0.5), not the full
    # models' figures (those are in the README, from bench/bench_detectors.py).
    assert stored["balanced_accuracy"] >= 0.62, stored
    assert set(meta.metrics["test"]) == set(TRANSFORMS)
    for transform in TRANSFORMS:
        assert meta.metrics["test"][transform]["overall"]["balanced_accuracy"] >= 0.55, transform
    for source in ("generated", "aic", "wikiart", "generated_vs_aic"):
        assert source in meta.metrics["test"]["as_stored"]


@pytest.mark.parametrize("kind", KINDS)
def test_model_dir_records_what_it_is(models: dict, kind: str) -> None:
    meta = load_model_dir(models[kind].path, expect_task="detector")
    assert meta.kind == kind and meta.classes == ["ai", "human"]
    assert meta.dataset_id == "dataset:detector-slice"
    assert meta.config["seed"] == 0
    assert meta.config["recipe"]["short_side"] == [160, 768]
    assert meta.config["recipe"]["containers"] == ["jpeg", "webp", "png"]
    assert meta.preprocessing["battery"] == list(TRANSFORMS)
    assert "short side to 256" in meta.preprocessing["canonical"]
    assert all(len(sha) == 64 for sha in meta.weights.values())


def test_the_same_image_scores_alike_whatever_its_container(models: dict, slice_dir: Path) -> None:
    """The same test images as PNG, WebP and JPEG 90 (same pixels, same size): every detector
    trained by the recipe gives probabilities within 0.1 of each other."""
    images = [image for image, _ in _images(slice_dir, "test", 24)]

    def through(container: str, quality: int) -> list[Image.Image]:
        out = []
        for image in images:
            with Image.open(io.BytesIO(encode(image, container, quality))) as again:
                out.append(again.convert("RGB"))
        return out

    saved = {"png": through("png", 100), "webp": through("webp", 90), "jpeg": through("jpeg", 90)}
    for kind in ("svm-dct", "backbone", "ensemble"):
        detector = load_detector(models[kind].path)
        scores = np.stack([detector.score_images(saved[c]) for c in saved])
        spread = scores.max(axis=0) - scores.min(axis=0)
        assert spread.max() <= 0.1, (kind, np.round(spread, 3))


def test_reloaded_models_give_the_recorded_scores(
    models: dict, slice_dir: Path, no_network: list
) -> None:
    for kind in KINDS:
        detector = load_detector(models[kind].path)
        test = _test_split(slice_dir, models, detector.parts)
        scored = {
            v: per_source_metrics(
                test.y,
                detector.score_parts({p: test.part(p, v) for p in detector.parts}),
                test.sources,
            )
            for v in test.variants
        }
        assert scored == models[kind].metrics["test"], kind
    assert no_network == []


def test_scoring_decoded_images_matches_the_cached_views(models: dict, slice_dir: Path) -> None:
    """score_images (what detect, evaluate and the API call) sees an image as training did."""
    from graphkit.datasets.manifest import read_manifest

    for kind in ("svm-dct", "backbone", "gfnet"):
        detector = load_detector(models[kind].path)
        test = _test_split(slice_dir, models, PARTS_OF[kind])
        rows = read_manifest(slice_dir).set_index("artwork_id").loc[test.rows["artwork_id"][:20]]
        images = [
            preprocess.load(
                r.image_path, preprocess.parse_crop(r.crop if isinstance(r.crop, str) else None)
            )
            for r in rows.itertuples()
        ]
        cached = detector.score_parts({p: test.part(p, "as_stored")[:20] for p in detector.parts})
        assert np.allclose(detector.score_images(images), cached, atol=1e-3), kind


def test_svm_fast_path_equals_libsvm(models: dict, slice_dir: Path) -> None:
    detector = load_detector(models["svm-dct"].path)
    test = _test_split(slice_dir, models, ("svm",))
    x = np.concatenate([test.part("svm", v) for v in test.variants])
    fast, reference = detector.model.p_ai(x), detector.model.p_ai_libsvm(x)
    assert np.max(np.abs(fast.astype(np.float64) - reference)) <= 1e-6
    assert fast.std() > 0.05  # real, varied scores


def test_onnx_and_pytorch_agree(models: dict, slice_dir: Path) -> None:
    test = _test_split(slice_dir, models, ("crops", "fft"))
    onnx = load_detector(models["gfnet"].path)
    torch_model = load_detector(models["gfnet"].path, runtime="torch")
    assert (onnx.runtime, torch_model.runtime) == ("onnxruntime", "torch")
    parts = {p: test.part(p, "as_stored") for p in ("crops", "fft")}
    a, b = onnx.score_parts(parts), torch_model.score_parts(parts)
    assert np.max(np.abs(a - b)) <= 1e-4
    assert a.std() > 0.02
    assert models["gfnet"].metrics["onnx_max_abs_difference"] <= 1e-4
    assert all("epoch_seconds" in epoch for epoch in models["gfnet"].metrics["history"])


def test_the_ensemble_is_chosen_and_calibrated_on_validation(models: dict) -> None:
    """Its members and stacking are chosen on validation artists only (out of fold), every
    set of members tried is reported, and its out-of-fold probabilities are calibrated."""
    selection = models["ensemble"].metrics["selection"]
    assert len(selection["tried"]) == 7  # every non-empty set of three members
    best = max(t["mean_balanced_accuracy"] for t in selection["tried"])
    chosen = next(t for t in selection["tried"] if t["members"] == selection["members"])
    assert chosen["mean_balanced_accuracy"] == pytest.approx(best, abs=1e-4)
    assert selection["ece_out_of_fold"] < 0.12
    assert models["ensemble"].preprocessing["members"] == selection["members"]
    assert set(models["ensemble"].metrics["members_test"]) == {
        "detector-svm-dct",
        "detector-backbone",
        "detector-gfnet",
    }


def test_the_ensemble_refuses_a_member_that_changed(models: dict, tmp_path: Path) -> None:
    root = tmp_path / "models"
    shutil.copytree(models["models_root"], root)
    member = models["ensemble"].preprocessing["members"][0]
    meta = json.loads((root / member / "model.json").read_text("utf-8"))
    meta["weights"] = {name: "0" * 64 for name in meta["weights"]}
    (root / member / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelError):
        load_detector(root / "detector")


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


def test_an_svm_trained_on_other_features_is_refused(models: dict, tmp_path: Path) -> None:
    """A model trained before the colour spreads were exact reads features this code no
    longer computes: refused with the command that retrains it, not scored."""
    copy = tmp_path / "svm-v3"
    shutil.copytree(models["svm-dct"].path, copy)
    meta = json.loads((copy / "model.json").read_text("utf-8"))
    assert meta["preprocessing"]["features"] == FEATURES_VERSION
    del meta["preprocessing"]["features"]  # as written before the field existed
    (copy / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelError, match=r"features version 3, .* retrain it"):
        load_detector(copy)


def _eval_folder(root: Path, slice_dir: Path) -> Path:
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
    models: dict, slice_dir: Path, tmp_path: Path
) -> None:
    folder = _eval_folder(tmp_path / "eval", slice_dir)
    (folder / "human" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    plots = tmp_path / "plots"
    result = run_cli(
        "evaluate",
        str(models["ensemble"].path),
        "--images",
        str(folder),
        "--plot",
        str(plots),
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 24 and report["model"] == "ensemble"
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
    models: dict, tmp_path: Path, no_network: list
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
    dirs = [models[kind].path for kind in KINDS]
    rows, skipped = detect_images([good, huge, tiny, empty, cmyk], dirs)
    assert [r["image"] for r in rows] == [str(good), str(tiny), str(cmyk)]
    for row in rows:
        assert set(row["p_ai"]) == {"svm-dct", "backbone", "gfnet", "detector"}
        assert all(0.0 <= p <= 1.0 for p in row["p_ai"].values())
    assert [p for p, _ in skipped] == [huge, empty]
    assert "refused before decoding" in skipped[0][1]
    result = run_cli("detect", "--json", *dirs_args(dirs), str(good), str(empty), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["image"] == str(good)
    assert "skipped:" in result.stderr and "empty.webp: empty file" in result.stderr
    assert no_network == []


def dirs_args(dirs: list[Path]) -> list[str]:
    return [arg for d in dirs for arg in ("--model", str(d))]


def _data_dir_with_slice(models: dict, slice_dir: Path) -> Path:
    """The data directory the session's detectors were trained in (its view cache makes a
    second training or evaluation of the slice cheap), with the slice as a named dataset."""
    data_dir = models["root"] / "data"
    named = data_dir / "datasets" / "detector-slice"
    if not named.exists():
        shutil.copytree(slice_dir, named)
    return data_dir


def test_train_cli_writes_a_model_dir(models: dict, slice_dir: Path, tmp_path: Path) -> None:
    data_dir = _data_dir_with_slice(models, slice_dir)
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
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["model_dir"] == str(out)
    assert printed["test"] == load_model_dir(out).metrics["test"]
    result = run_cli("train", "detector", "--kind", "gfnet", "--dataset", "nope", data_dir=data_dir)
    assert result.returncode == 7 and "unknown dataset 'nope'" in result.stderr
    result = run_cli(
        "train",
        "detector",
        "--kind",
        "ensemble",
        "--dataset",
        "detector-slice",
        "--out",
        str(tmp_path / "alone" / "detector"),
        data_dir=data_dir,
    )
    assert result.returncode == 8 and "no member detector beside" in result.stderr


def test_load_split_names_a_broken_image(slice_dir: Path, tmp_path: Path) -> None:
    from graphkit.datasets.manifest import read_manifest
    from graphkit.errors import DatasetError

    manifest = read_manifest(slice_dir)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff")
    test = manifest["split"] == "test"
    first = manifest.index[test][0]
    manifest.loc[first, "image_path"] = str(broken)
    manifest.loc[first, "crop"] = None
    with pytest.raises(DatasetError, match=rf"dataset image {manifest.loc[first, 'artwork_id']}"):
        load_split(manifest, "x", "test", ["as_stored"], ("svm",), cache_dir=None)


def test_evaluate_reports_the_battery_of_a_datasets_test_split(
    models: dict, slice_dir: Path
) -> None:
    data_dir = _data_dir_with_slice(models, slice_dir)
    result = run_cli(
        "evaluate",
        str(models["ensemble"].path),
        "--battery",
        "detector-slice",
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] == "detector" and set(report["battery"]) == set(TRANSFORMS)
    # the same figures training recorded for its test battery
    assert report["battery"] == models["ensemble"].metrics["test"]
    result = run_cli("evaluate", str(models["ensemble"].path), data_dir=data_dir)
    assert result.returncode == 2 and "--images DIR or --battery DATASET" in result.stderr
