"""Shared by the prediction tests: two versions of a tiny real svm-dct detector, trained once
on the detector dataset of the small source copies, and a fresh graph of those copies per test
(on each engine) with the dataset built and the models registered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphkit.datasets.build import BuildOptions, build_dataset
from graphkit.engines.embedded import EmbeddedServer
from graphkit.populate import populate_all
from graphkit.settings import Settings
from graphkit.store import GraphStore
from ml.registry import ModelRecord, register_model
from tests.graphs import FalkorGraphs
from tests.source_copies import small_sources

DETECTOR_DATASET = "det"
# A Pointillism painting filed under Baroque in the copy: the movement model should say
# Pointillism, against the record (its artist has no other work there).
MISFILED = "Pointillism/henri-edmond-cross_bathers-1895.jpg"


def build_detector_dataset(store: GraphStore, out: Path) -> Path:
    build_dataset(store, DETECTOR_DATASET, BuildOptions("source-kind", min_per_class=5), out)
    return out


@pytest.fixture(scope="session", name="detectors")
def detectors_fixture(graph_server: EmbeddedServer, shared_data: Path, tmp_path_factory) -> dict:  # type: ignore[no-untyped-def]
    """Model directories v1 and v2 (seeds 0 and 1) of svm-dct, trained on the embedded engine
    only: training does not depend on the engine; registering and predicting are tested on
    both."""
    from ml.detectors.train import TrainRequest, train_detector
    from ml.offline import go_offline

    root = tmp_path_factory.mktemp("detectors")
    go_offline(root)
    graphs = FalkorGraphs(graph_server)
    store = graphs.acquire()
    try:
        populate_all(store, scene_sources(shared_data, root / "src"), progress=False)
        dataset = build_detector_dataset(store, root / DETECTOR_DATASET)
    finally:
        graphs.release(store)
    settings = Settings.from_env({"GRAPHKIT_DATA_DIR": str(root / "data")})
    dirs = {}
    for version, seed in (("v1", 0), ("v2", 1)):
        request = TrainRequest(
            kind="svm-dct",
            dataset=None,
            out_dir=root / version,
            seed=seed,
            progress=False,
            dataset_dir=dataset,
        )
        dirs[version] = train_detector(settings, request).path
    return dirs


@dataclass
class Scene:
    """A test graph of the small copies, where its sources live, and a data directory."""

    store: GraphStore
    src: Path
    data_dir: Path

    def register(self, model_dir: Path, name: str | None = None) -> ModelRecord:
        return register_model(self.store, model_dir, name)[0]


def scene_sources(shared_data: Path, out: Path) -> Path:
    """The small copies with the misfiled painting linked in (a link resolves to the shared
    file, so every scene's graph, and its detector dataset, is the same)."""
    src = small_sources(shared_data, out)
    (src / "wikiart" / "Baroque" / Path(MISFILED).name).symlink_to(
        shared_data / "wikiart" / MISFILED
    )
    return src


def make_scene(store: GraphStore, shared_data: Path, tmp_path: Path) -> Scene:
    src = scene_sources(shared_data, tmp_path / "src")
    populate_all(store, src, progress=False)
    build_detector_dataset(store, tmp_path / DETECTOR_DATASET)
    return Scene(store, src, tmp_path / "data")


@pytest.fixture(name="scene")
def scene_fixture(store: GraphStore, shared_data: Path, tmp_path: Path) -> Iterator[Scene]:
    yield make_scene(store, shared_data, tmp_path)
