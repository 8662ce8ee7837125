"""Model directories: saved with sha256 of every weight file, refused when anything changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.errors import ModelError
from ml.artifacts import META_FILE, ModelMeta, load_model_dir, save_model_dir


def saved(tmp_path: Path) -> Path:
    (tmp_path / "weights.bin").write_bytes(b"\x01\x02\x03")
    meta = ModelMeta(
        task="detector",
        kind="svm-dct",
        classes=["ai", "human"],
        weights={"weights.bin": ""},
        config={"seed": 0},
        dataset_id="dataset:detector",
    )
    save_model_dir(tmp_path, meta)
    return tmp_path


def test_round_trip_records_hashes_and_provenance(tmp_path: Path) -> None:
    meta = load_model_dir(saved(tmp_path), expect_task="detector")
    assert meta.weights["weights.bin"] == (
        "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"
    )
    assert meta.kind == "svm-dct" and meta.classes == ["ai", "human"]
    assert meta.created_at and meta.code_version.startswith("0.1.0")
    assert meta.path == tmp_path


def test_tampered_weight_is_refused(tmp_path: Path) -> None:
    saved(tmp_path)
    (tmp_path / "weights.bin").write_bytes(b"\x01\x02\x04")
    with pytest.raises(ModelError, match=r"weights\.bin: sha256 does not match"):
        load_model_dir(tmp_path)


def test_missing_files_and_wrong_task(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model directory"):
        load_model_dir(tmp_path / "nope")
    with pytest.raises(ModelError, match=r"model\.json: missing"):
        load_model_dir(tmp_path)
    saved(tmp_path)
    with pytest.raises(ModelError, match="a detector model, not a movement model"):
        load_model_dir(tmp_path, expect_task="movement")
    (tmp_path / "weights.bin").unlink()
    with pytest.raises(ModelError, match=r"weights\.bin: weight file missing"):
        load_model_dir(tmp_path)


def test_weight_names_cannot_leave_the_directory(tmp_path: Path) -> None:
    saved(tmp_path)
    data = json.loads((tmp_path / META_FILE).read_text())
    data["weights"] = {"../weights.bin": data["weights"]["weights.bin"]}
    (tmp_path / META_FILE).write_text(json.dumps(data))
    with pytest.raises(ModelError, match="leaves the directory"):
        load_model_dir(tmp_path)
