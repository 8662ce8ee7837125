"""Every .cypher file does real work on both engines; every name used in code exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.errors import QueryError
from graphkit.model import LOADED_LABELS, LOADED_RELATIONSHIPS, RelType, upsert_query
from graphkit.populate import populate_source
from graphkit.queries import QueryLibrary
from graphkit.store import GraphStore
from tests.graphs import Graphs
from tests.query_cases import CASES

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = QueryLibrary(ROOT / "cypher")
GROUPS = sorted(p.name for p in (ROOT / "cypher").iterdir() if p.is_dir())
# Any string literal shaped like a query name ("datasets/save_dataset"), in a call or a constant.
NAME_USE = re.compile(r"[\"']((?:" + "|".join(GROUPS) + r")/[a-z0-9_/]+)[\"']")
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
WRITES = re.compile(r"\b(MERGE|CREATE|SET|DELETE|REMOVE)\b", re.IGNORECASE)


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


@pytest.fixture(scope="module")
def query_graph(graphs: Graphs, shared_data: Path) -> Iterator[GraphStore]:
    """The datathon, WikiArt and generated sources, for the per-query tests (which write)."""
    store = graphs.acquire()
    for source, folder in (
        ("datathon", "datathon"),
        ("wikiart", "wikiart"),
        ("generated", "ai_generated"),
    ):
        populate_source(store, source, shared_data / folder, progress=False)
    yield store
    graphs.release(store)


def _loader_case(name: str) -> tuple[str, RelType | None] | None:
    for label in LOADED_LABELS:
        if upsert_query(label) == name:
            return label, None
    for rel in LOADED_RELATIONSHIPS:
        if rel.load_query == name:
            return rel.start, rel
    return None


def _upsert(store: GraphStore, label: str, node_id: str, digest: str = "h1") -> dict[str, int]:
    row = {"id": node_id, "props": {"name": "Q"}, "source_ids": [f"qtest:{node_id}"]}
    row["hash"] = digest
    if label == "Artist":
        row["aliases"] = ["Q"]
    return store.write(upsert_query(label), rows=[row], source="qtest").rows[0]


def _hashes(store: GraphStore, match: str, params: dict) -> list[str]:
    return store.cypher(f"MATCH {match} RETURN x.row_hashes AS h", params).value()


def _check_loader_query(store: GraphStore, label: str, rel: RelType | None) -> None:
    if rel is None:
        node_id = f"qtest:{label}:1"
        assert _upsert(store, label, node_id) == {"created": 1, "updated": 0, "seen": 1}
        assert _upsert(store, label, node_id) == {"created": 0, "updated": 0, "seen": 1}
        node = store.cypher(f"MATCH (x:{label} {{id: $id}}) RETURN x.sources AS s", {"id": node_id})
        assert node.value() == ["qtest"]
        # A changed row replaces the source's hash in place.
        assert _upsert(store, label, node_id, "h2") == {"created": 0, "updated": 1, "seen": 1}
        assert _hashes(store, f"(x:{label} {{id: $id}})", {"id": node_id}) == ["qtest:h2"]
        return
    start, end = f"qtest:{rel.start}:start", f"qtest:{rel.end}:end"
    _upsert(store, rel.start, start)
    _upsert(store, rel.end, end)
    rows = [{"start": start, "end": end, "props": {"derived": False}, "hash": "h1"}]
    missing = [{"start": start, "end": "qtest:none", "props": {}, "hash": "h1"}]
    first = store.write(rel.load_query, rows=rows + missing, source="qtest").rows[0]
    assert first == {"created": 1, "updated": 0, "seen": 1}  # the dangling row is not seen
    again = store.write(rel.load_query, rows=rows, source="qtest").rows[0]
    assert again == {"created": 0, "updated": 0, "seen": 1}
    pattern = f"(:{rel.start} {{id: $s}})-[x:{rel.name}]->(:{rel.end} {{id: $e}})"
    found = store.cypher(f"MATCH {pattern} RETURN x.sources AS s", {"s": start, "e": end})
    assert found.value() == ["qtest"]
    assert _hashes(store, pattern, {"s": start, "e": end}) == ["qtest:h1"]


@pytest.mark.parametrize("name", LIBRARY.names())
def test_query_file_does_real_work(query_graph: GraphStore, name: str) -> None:
    loader = _loader_case(name)
    if loader is not None:
        _check_loader_query(query_graph, *loader)
        return
    assert name in CASES, f"no case in tests/query_cases.py for {name}"
    case = CASES[name]
    if case.before is not None:
        case.before(query_graph)
    params = case.params(query_graph) if callable(case.params) else case.params
    text = query_graph.text(name)
    result = query_graph.cypher(text, params, write=bool(WRITES.search(text)))
    case.check(result, query_graph)


def test_every_query_file_is_used_by_the_code() -> None:
    unused = sorted(set(LIBRARY.names()) - names_used_in_code())
    assert not unused, f"query files nothing runs: {unused}"
