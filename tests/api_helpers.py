"""Fixtures for the API tests: a graph with everything the API shows (on each engine), the
trained models in the layout `graphkit serve` expects, and apps / test clients over them.

The graph: the datathon source (artists with teachers, students, places, movements), the AIC
paintings (real photographs), and small real slices of WikiArt and of the generated grids,
loaded by the real readers from folders of links into ../shared/data; then analytics, a
dataset and image embeddings from the tiny trained Lite0, as the commands would leave them.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.config import ApiSettings
from graphkit.settings import PROJECT_ROOT
from graphkit.store import GraphStore
from tests.graphs import Graphs

TOKEN = "test-token-0123456789"
WIKIART_STYLES = ("Impressionism", "Baroque", "Ukiyo_e")
WIKIART_PER_STYLE = 10
GENERATED_GRIDS = 4


def _link_wikiart(shared: Path, out: Path) -> Path:
    for style in WIKIART_STYLES:
        (out / style).mkdir(parents=True)
        for path in sorted((shared / "wikiart" / style).glob("*.jpg"))[:WIKIART_PER_STYLE]:
            (out / style / path.name).symlink_to(path)
    return out


def _link_generated(shared: Path, out: Path) -> Path:
    records = json.loads((shared / "ai_generated" / "grids.json").read_text("utf-8"))
    kept = sorted(records, key=lambda r: str(r["Image"]))[:GENERATED_GRIDS]
    (out / "grids").mkdir(parents=True)
    for record in kept:
        (out / "grids" / record["Image"]).symlink_to(
            shared / "ai_generated" / "grids" / record["Image"]
        )
    (out / "grids.json").write_text(json.dumps(kept), "utf-8")
    return out


@pytest.fixture(scope="session")
def api_graph(
    graphs: Graphs,
    shared_data: Path,
    lite0,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GraphStore]:  # type: ignore[no-untyped-def]
    """The API's graph on each engine, loaded once. Tests must not change it."""
    from graphkit.analytics.pipeline import run_analytics
    from graphkit.datasets.build import BuildOptions, build_dataset
    from graphkit.populate import populate_source
    from ml.embeddings.embed import embed_graph
    from ml.movement.onnx_model import OnnxMovementModel

    root = tmp_path_factory.mktemp("api-sources")
    store = graphs.acquire()
    for source, folder in (
        ("datathon", shared_data / "datathon"),
        ("aic", shared_data / "aic_paintings"),
        ("wikiart", _link_wikiart(shared_data, root / "wikiart")),
        ("generated", _link_generated(shared_data, root / "generated")),
    ):
        populate_source(store, source, folder, progress=False, reports_dir=root / "reports")
    run_analytics(store)
    options = BuildOptions(label_via="artwork", min_per_class=2)
    build_dataset(store, "api-styles", options, root / "datasets" / "api-styles")
    embed_graph(store, OnnxMovementModel.load(lite0[2]))
    yield store
    graphs.release(store)


@pytest.fixture(scope="session")
def models_root(models: dict, lite0, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """Trained models where `train` writes them by default: detector-KIND and
    movement-efficientnet-lite0 under one root (GRAPHKIT_MODELS_DIR)."""
    root = tmp_path_factory.mktemp("api-models")
    for kind in ("svm-dct", "backbone", "gfnet", "ensemble"):
        shutil.copytree(models[kind].path, root / models[kind].path.name)
    shutil.copytree(lite0[2], root / "movement-efficientnet-lite0")
    return root


def api_settings(
    store: GraphStore, data_dir: Path, shared_data: Path, models: Path, **env: str
) -> ApiSettings:
    """Settings that point the app at STORE's graph (on whichever engine it is)."""
    password = store.cli_env.get("NEO4J_PASSWORD")  # type: ignore[attr-defined]
    if password:
        RecordingClient.secrets.add(password)
    return ApiSettings.from_env(
        {
            **store.cli_env,  # type: ignore[attr-defined]
            "GRAPHKIT_DATA_DIR": str(data_dir),
            "GRAPHKIT_SHARED_DATA": str(shared_data),
            "GRAPHKIT_MODELS_DIR": str(models),
            "GRAPHKIT_API_TOKEN": TOKEN,
            **env,
        }
    )


@pytest.fixture(scope="session")
def api_app(
    api_graph: GraphStore,
    shared_data: Path,
    models_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    app = create_app(
        api_settings(api_graph, tmp_path_factory.mktemp("api-data"), shared_data, models_root)
    )
    yield app
    app.extensions["graphkit_store"].close()


@pytest.fixture
def client(api_app: Flask) -> FlaskClient:
    return api_app.test_client()


def error_of(response, status: int, code: str | None = None) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert "Traceback" not in body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]["message"]


class RecordingClient(FlaskClient):
    """The suite's test client: it keeps every JSON error body and health answer, so that
    `nothing_leaked` can read them all at the end."""

    answers: ClassVar[list[tuple[str, int, str]]] = []
    secrets: ClassVar[set[str]] = {TOKEN}

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        path = response.request.path
        if response.is_json and (response.status_code >= 400 or path == "/api/health"):
            RecordingClient.answers.append(
                (path, response.status_code, response.get_data(as_text=True))
            )
        return response


class _KeptLog(logging.Handler):
    lines: ClassVar[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("graphkit", "gunicorn", "werkzeug", "flask")):
            _KeptLog.lines.append(record.getMessage())


def pytest_configure(config: pytest.Config) -> None:
    Flask.test_client_class = RecordingClient
    logging.getLogger().addHandler(_KeptLog())


@pytest.fixture(scope="session", autouse=True)
def nothing_leaked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the suite: no error body or health answer of any API test named a password,
    the token or a server directory, and no log line held a password or the token."""
    yield
    places = {str(tmp_path_factory.getbasetemp()), str(PROJECT_ROOT)}
    leaks = [
        (path, status, body[:300])
        for path, status, body in RecordingClient.answers
        if any(secret in body for secret in RecordingClient.secrets)
        or any(place in body for place in places)
    ]
    assert not leaks, f"answers that name a secret or a server path: {leaks[:5]}"
    logged = [line for line in _KeptLog.lines if any(s in line for s in RecordingClient.secrets)]
    assert not logged, f"log lines with a secret: {logged[:5]}"
