"""A graph with predictions for the API's prediction, review and upload tests (on each engine)
and the browser's review queue: the small source copies of tests/prediction_helpers.py (with
the misfiled Pointillism painting) scored by every model of `models_root` (two tiny real
detectors and the tiny movement classifier), as `graphkit models register` and `graphkit
predict` leave it. Unlike `api_graph`, the tests of a module may write to it (reviews,
uploads); each module gets its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from graphkit.populate import populate_all
from graphkit.store import GraphStore
from ml.predict import load_registered, predict_graph
from ml.registry import register_model
from tests.api_helpers import api_settings
from tests.graphs import Graphs
from tests.prediction_helpers import MISFILED, scene_sources

MISFILED_ID = f"wikiart:artwork:Baroque/{Path(MISFILED).stem}"


@pytest.fixture(scope="module")
def scored_graph(
    graphs: Graphs,
    shared_data: Path,
    models_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GraphStore]:
    store = graphs.acquire()
    root = tmp_path_factory.mktemp("scored")
    populate_all(store, scene_sources(shared_data, root / "src"), progress=False)
    for model_dir in sorted(models_root.iterdir()):
        register_model(store, model_dir)
        record, scorer = load_registered(store, str(model_dir))
        predict_graph(store, record, scorer, progress=False)
    yield store
    graphs.release(store)


@pytest.fixture(scope="module")
def scored_app(
    scored_graph: GraphStore,
    shared_data: Path,
    models_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    data_dir = tmp_path_factory.mktemp("scored-data")
    app = create_app(api_settings(scored_graph, data_dir, shared_data, models_root))
    yield app
    app.extensions["graphkit_store"].close()


@pytest.fixture
def scored_client(scored_app: Flask) -> FlaskClient:
    return scored_app.test_client()
