"""Every query the project sends to Neo4j passes Neo4j's own Cypher linter (parser and semantic
checks from @neo4j-cypher/language-support), so the Neo4j dialect is checked without a server.

`./run tests` installs the linter with npm into tests/cypher_lint/node_modules.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphkit.queries import QueryLibrary
from graphkit.schema import neo4j_statements

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
LIBRARY = QueryLibrary(Path(__file__).resolve().parents[1] / "cypher")

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        shutil.which("node") is None or not (LINT_DIR / "node_modules").is_dir(),
        reason="Neo4j's Cypher linter is not installed (needs node; ./run tests installs it)",
    ),
]


def lint(queries: dict[str, str]) -> dict[str, list[str]]:
    done = subprocess.run(
        ["node", str(LINT_DIR / "lint.cjs")],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_linter_catches_a_broken_query() -> None:
    errors = lint({"broken": "MATCH (n) RETURN n ORDER BY", "fine": "MATCH (n) RETURN n"})
    assert errors["broken"] and errors["fine"] == []


def test_every_query_file_is_valid_neo4j_cypher() -> None:
    errors = lint({name: LIBRARY.get(name, "neo4j") for name in LIBRARY.names()})
    assert len(errors) == len(LIBRARY.names())
    assert {name: found for name, found in errors.items() if found} == {}


def test_schema_statements_are_valid_neo4j_cypher() -> None:
    statements = {what: statement for what, statement, _ in neo4j_statements()}
    assert {what: found for what, found in lint(statements).items() if found} == {}
