"""The OpenAPI description matches the code: schemathesis sends generated requests (valid and
invalid) to every operation of the running app on each engine and checks each answer against
the description (status codes, content types, response schemas, no server error); and every
route the app serves under /api is described."""

from __future__ import annotations

import itertools

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

UNDESCRIBED = {"/api/openapi.json"}  # the description itself


EXAMPLES = 20  # generated requests per operation, valid and invalid
# A schema cannot say "bytes that decode as an image": schemathesis sends any bytes as a
# "valid" upload, which is rightly refused with 422 (tests/test_api_bad_input.py checks the
# real images and each way of being broken).
EXCLUDED = {"POST /api/predict": [positive_data_acceptance]}


def test_every_operation_answers_as_described(api_app: Flask) -> None:
    """schemathesis's own checks on every operation, with valid requests (which must be
    answered as described) and invalid ones (which must be refused with a 4xx). Driven
    through hypothesis directly: schemathesis's pytest plugin does not run under pytest 9."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    described = api_app.test_client().get("/api/openapi.json").get_json()["paths"]
    assert len(operations) == sum(len(methods) for methods in described.values()) > 15
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # the same requests every run: a failure can be replayed
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(excluded_checks=EXCLUDED.get(case.operation.label, []))

        try:
            answers_as_described()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing in it can be made invalid
        except Exception as exc:  # schemathesis groups what it found; keep its report
            failures[f"{operation.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def test_every_api_route_is_described(api_app: Flask) -> None:
    described = set(api_app.test_client().get("/api/openapi.json").get_json()["paths"])
    served = set()
    for rule in api_app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            served.add(
                rule.rule.replace("<path:artwork_id>", "{id}")
                .replace("<path:artist_id>", "{id}")
                .replace("<path:movement_id>", "{id}")
                .replace("<path:model_id>", "{id}")
            )
    assert served - UNDESCRIBED == described
