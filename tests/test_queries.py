"""Every .cypher file loads and runs on the embedded engine; every name used in code exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphkit.errors import QueryError
from graphkit.model import LOADED_LABELS, LOADED_RELATIONSHIPS, upsert_query
from graphkit.queries import QueryLibrary
from graphkit.schema import apply_schema
from graphkit.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = QueryLibrary(ROOT / "cypher")
GROUPS = sorted(p.name for p in (ROOT / "cypher").iterdir() if p.is_dir())
# Any string literal shaped like a query name ("datasets/save_dataset"), in a call or a constant.
NAME_USE = re.compile(r"[\"']((?:" + "|".join(GROUPS) + r")/[a-z0-9_/]+)[\"']")
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
WRITES = re.compile(r"\b(MERGE|CREATE|SET|DELETE|REMOVE)\b", re.IGNORECASE)

# A value of the right shape for each parameter name the queries use; unknown names get null.
SAMPLE_PARAMS = {
    "rows": [],
    "ids": [],
    "limit": 10,
    "k": 5,
    "min_count": 1,
    "name": "sample",
    "source": "sample",
}


def names_used_in_code() -> set[str]:
    used = {upsert_query(label) for label in LOADED_LABELS}
    used |= {rel.load_query for rel in LOADED_RELATIONSHIPS}
    for path in [
        *ROOT.joinpath("graphkit").rglob("*.py"),
        *ROOT.joinpath("api").rglob("*.py"),
        *ROOT.joinpath("ml").rglob("*.py"),
    ]:
        used |= set(NAME_USE.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_name_used_in_code_has_a_file() -> None:
    used = names_used_in_code()
    assert len(used) > 20  # the loader alone uses one per label and relationship type
    missing = sorted(used - set(LIBRARY.names()))
    assert not missing, f"queries used in code but absent from cypher/: {missing}"


def test_unknown_name_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match="no query named 'nope/never'"):
        LIBRARY.get("nope/never", "falkordb")


def test_dialect_file_overrides_only_its_engine(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "q.cypher").write_text("// shared\nRETURN 1 AS x\n")
    (tmp_path / "g" / "q.falkordb.cypher").write_text("RETURN 2 AS x\n")
    library = QueryLibrary(tmp_path)
    assert library.names() == ["g/q"]
    assert library.get("g/q", "neo4j") == "RETURN 1 AS x"
    assert library.get("g/q", "falkordb") == "RETURN 2 AS x"


def test_orphan_dialect_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "q.neo4j.cypher").write_text("RETURN 1")
    with pytest.raises(QueryError, match="without a shared query"):
        QueryLibrary(tmp_path)


@pytest.mark.parametrize("name", LIBRARY.names())
def test_query_file_runs_on_embedded_engine(store: GraphStore, name: str) -> None:
    apply_schema(store)
    text = store.text(name)
    params = {p: SAMPLE_PARAMS.get(p) for p in PARAM.findall(text)}
    result = store.cypher(text, params, write=bool(WRITES.search(text)))
    assert isinstance(result.rows, list)
    assert result.columns or not result.rows


def test_every_query_file_is_used_by_the_code() -> None:
    unused = sorted(set(LIBRARY.names()) - names_used_in_code())
    assert not unused, f"query files nothing runs: {unused}"
