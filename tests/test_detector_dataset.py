"""The detector dataset (--label-via source-kind) from real generated and AIC images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.datasets.manifest import read_manifest, read_summary
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from ml.detectors import preprocess


@pytest.fixture
def detector_dataset(store: GraphStore, shared_data: Path, tmp_path: Path) -> Path:
    populate_source(store, "generated", shared_data / "ai_generated", progress=False)
    populate_source(store, "aic", shared_data / "aic_paintings", progress=False)
    out = tmp_path / "detector"
    build_dataset(store, "detector", BuildOptions("source-kind"), out)
    return out


def test_tiles_are_ai_artworks_human_split_by_artist(detector_dataset: Path) -> None:
    manifest = read_manifest(detector_dataset)
    summary = read_summary(detector_dataset)
    assert summary["classes"] == ["ai", "human"]
    assert summary["label_via"] == "source-kind"
    by_source = manifest.groupby("source")["label"].agg(set).to_dict()
    assert by_source == {"generated": {"ai"}, "aic": {"human"}}
    assert summary["class_counts"]["ai"] == 4 * 482  # every tile of every grid
    assert summary["class_counts"]["human"] == 171
    # Generated rows are tiles: a crop box inside a 1024 px grid; human rows are whole images.
    tiles = manifest[manifest["source"] == "generated"]
    boxes = np.array([preprocess.parse_crop(c) for c in tiles["crop"]])
    assert set(map(tuple, boxes[:, :2])) == {(0, 0), (512, 0), (0, 512), (512, 512)}
    assert manifest.loc[manifest["source"] == "aic", "crop"].isna().all()
    # No artist (a generated image's artist is the one it imitates) spans two splits.
    splits_per_artist = manifest.dropna(subset=["artist_id"]).groupby("artist_id")["split"]
    assert splits_per_artist.nunique().max() == 1
    assert set(manifest["split"]) == {"train", "val", "test"}


def test_dataset_node_records_the_detector_build(detector_dataset: Path, store: GraphStore) -> None:
    node = store.read("datasets/get_dataset", id="dataset:detector").rows[0]
    assert node["label_via"] == "source-kind"
    assert node["classes"] == ["ai", "human"]
    assert node["manifest_sha256"] == read_summary(detector_dataset)["manifest_sha256"]


def test_tile_crop_reads_one_quarter_of_the_grid(detector_dataset: Path) -> None:
    row = read_manifest(detector_dataset).query("source == 'generated'").iloc[3]
    tile = preprocess.load(row["image_path"], preprocess.parse_crop(row["crop"]))
    assert tile.size == (512, 512)
