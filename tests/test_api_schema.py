# ruff: noqa: F811  (pytest fixtures imported from helper modules are parameters here)
"""The OpenAPI description matches the code: schemathesis sends generated requests (valid and
invalid) to every operation of the running app on each engine and checks each answer against
the description (status codes, content types, response schemas, no server error); and every
route the app serves under /api is described."""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.api_helpers import api_app, api_graph, models_root  # noqa: F401
from tests.detector_helpers import image_graph, models, slice_dir  # noqa: F401
from tests.movement_helpers import lite0, slice_data  # noqa: F401

UNDESCRIBED = {"/api/openapi.json"}  # the description itself


@pytest.fixture
def api_schema(api_app: Flask):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure can be replayed
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_described(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate()


def test_every_api_route_is_described(api_app: Flask) -> None:
    described = set(api_app.test_client().get("/api/openapi.json").get_json()["paths"])
    served = set()
    for rule in api_app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            served.add(
                rule.rule.replace("<path:artwork_id>", "{id}")
                .replace("<path:artist_id>", "{id}")
                .replace("<path:movement_id>", "{id}")
            )
    assert served - UNDESCRIBED == described
