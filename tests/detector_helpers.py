"""The detectors trained once per test session on a small real slice (generated tiles vs AIC
and WikiArt images), offline, shared by the detector tests and the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from graphkit.datasets.dedupe import split_groups
from graphkit.datasets.labels import fetch_labels
from graphkit.datasets.manifest import write_dataset
from graphkit.datasets.splits import assign_splits
from graphkit.engines.embedded import EmbeddedServer
from graphkit.populate import populate_source
from graphkit.settings import Settings
from graphkit.store import GraphStore
from ml.artifacts import ModelMeta
from ml.detectors.train import TrainRequest, train_detector
from tests.graphs import FalkorGraphs
from tests.ml_helpers import network_blocked

SLICE_AI_ARTISTS = 45  # x 4 tiles
SLICE_WIKIART = 110


@pytest.fixture(scope="session")
def image_graph(graph_server: EmbeddedServer, shared_data: Path) -> Iterator[GraphStore]:
    """The three sources with images, on the embedded FalkorDB only: training does not depend
    on the engine (the source-kind labelling runs on both in test_detector_dataset.py and
    test_queries.py), so the models are trained once, not once per engine."""
    graphs = FalkorGraphs(graph_server)
    store = graphs.acquire()
    for source, folder in (("generated", "ai_generated"), ("aic", "aic_paintings")):
        populate_source(store, source, shared_data / folder, progress=False)
    populate_source(store, "wikiart", shared_data / "wikiart", progress=False)
    yield store
    graphs.release(store)


@pytest.fixture(scope="session")
def slice_dir(image_graph: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred real images labelled by the source-kind query (read-only on the graph),
    split by artist with the datasets machinery, written as a dataset folder."""
    labelled = fetch_labels(image_graph, "source-kind")
    rows = labelled.rows
    rows["source"] = [i.split(":", 1)[0] for i in rows["artwork_id"]]
    ai = rows[rows["source"] == "generated"]
    ai_artists = sorted({ids[0] for ids in ai["artist_ids"] if ids})[:SLICE_AI_ARTISTS]
    ai = ai[[bool(ids) and ids[0] in ai_artists for ids in ai["artist_ids"]]]
    wikiart = rows[rows["source"] == "wikiart"].sample(SLICE_WIKIART, random_state=0)
    part = pd.concat([ai, rows[rows["source"] == "aic"], wikiart])
    part = part.sort_values("artwork_id").reset_index(drop=True)
    groups, _ = split_groups(part)
    part["split"] = assign_splits(groups, part["label"], (0.6, 0.15, 0.25), seed=0)
    part["artist_id"] = [ids[0] if ids else None for ids in part["artist_ids"]]
    out = tmp_path_factory.mktemp("detector-slice")
    summary = {"name": "detector-slice", "label_via": "source-kind", "query_hash": "slice"}
    write_dataset(out, part, ["ai", "human"], summary)
    return out


def train_slice(kind: str, dataset: Path, out: Path, data_dir: Path, seed: int = 0) -> ModelMeta:
    request = TrainRequest(
        kind=kind, dataset=None, out_dir=out, seed=seed, progress=False, dataset_dir=dataset
    )
    settings = Settings.from_env({"GRAPHKIT_DATA_DIR": str(data_dir)})
    return train_detector(settings, request)


MEMBER_KINDS = ("svm-dct", "backbone", "gfnet")
DIRS = {
    "svm-dct": "detector-svm-dct",
    "backbone": "detector-backbone",
    "gfnet": "detector-gfnet",
    "ensemble": "detector",
}


@pytest.fixture(scope="session")
def models(slice_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Every kind trained with every internet connection refused, each where `train` writes
    it by default under one models root: the three members, then the ensemble over them."""
    root = tmp_path_factory.mktemp("detectors")
    with network_blocked() as attempts:
        trained = {
            kind: train_slice(kind, slice_dir, root / "models" / DIRS[kind], root / "data")
            for kind in (*MEMBER_KINDS, "ensemble")
        }
    assert attempts == []
    yield {"root": root, "models_root": root / "models", "attempts": attempts, **trained}
