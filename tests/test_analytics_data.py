"""Analytics on real data (the datathon source) and through the real CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graphkit.analytics.pipeline import run_analytics
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from tests.helpers import run_cli
from tests.test_analytics import build


@pytest.fixture
def datathon(store: GraphStore, shared_data: Path, tmp_path: Path) -> GraphStore:
    populate_source(
        store, "datathon", shared_data / "datathon", progress=False, reports_dir=tmp_path
    )
    return store


@pytest.mark.slow
def test_projection_and_write_back_on_datathon(datathon: GraphStore) -> None:
    store = datathon
    result = run_analytics(store, batch_size=100)
    artists = result.projection.artists

    # Apprenticeships: every stated one between two different artists is in the projection.
    stated = store.cypher(
        "MATCH (s:Artist)-[:APPRENTICE_OF]->(t:Artist) WHERE s.id <> t.id RETURN count(*) AS n"
    ).value("n")
    assert stated > 50
    assert sum(w for _, _, w in artists.edges(data="apprentice")) == stated

    # RECOMMENDS aggregated in Cypher matches raw edges aggregated here.
    raw = store.cypher(
        "MATCH (w1:Artwork)-[:RECOMMENDS]->(w2:Artwork), (w1)-[:CREATED_BY]->(a1:Artist), "
        "(w2)-[:CREATED_BY]->(a2:Artist) RETURN a1.id AS a, a2.id AS b, w1.id AS w1, w2.id AS w2"
    ).rows
    expected = Counter((r["a"], r["b"]) for r in {tuple(r.values()): r for r in raw}.values())
    expected = Counter({pair: n for pair, n in expected.items() if pair[0] != pair[1]})
    got = {(a, b): n for a, b, n in artists.edges(data="recommends") if n}
    assert got == dict(expected)
    assert len(got) > 1000

    # Write-back: exactly the projected artists carry a score, and the scores are the ones computed.
    rows = store.cypher(
        "MATCH (a:Artist) WHERE a.pagerank IS NOT NULL RETURN a.id AS id, a.pagerank AS pr, "
        "a.community AS c"
    ).rows
    assert {r["id"] for r in rows} == set(artists.nodes)
    assert sum(r["pr"] for r in rows) == pytest.approx(1.0)
    assert all(r["c"] == result.community[r["id"]] for r in rows)
    assert len(set(result.community.values())) >= 2

    # Artists per country agree with Cypher walking the hierarchy itself.
    walked = store.cypher(
        "MATCH (a:Artist)-[:BORN_IN]->(:Place)-[:LOCATED_IN*0..]->(c:Place) "
        "WHERE NOT (c)-[:LOCATED_IN]->(:Place) AND c.type = 'country' "
        "RETURN c.id AS id, count(DISTINCT a) AS n"
    ).rows
    assert {c.id: c.artists for c in result.countries} == {r["id"]: r["n"] for r in walked}
    written = store.cypher(
        "MATCH (p:Place) WHERE p.artist_count IS NOT NULL RETURN p.id AS id, p.artist_count AS n"
    ).rows
    assert {r["id"]: r["n"] for r in written} == {c.id: c.artists for c in result.countries}

    # Movements: one score per movement node, co-membership links exist in the datathon.
    assert result.written["movements"] == store.cypher(
        "MATCH (m:Movement) RETURN count(m) AS n"
    ).value("n")
    assert result.projection.movements.number_of_edges() > 10


@pytest.mark.slow
def test_a_second_run_gives_the_same_results(datathon: GraphStore) -> None:
    first = run_analytics(datathon)
    second = run_analytics(datathon)
    assert first.pagerank == second.pagerank
    assert first.community == second.community


def test_cli_run_and_export(store: GraphStore, tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    build(store)
    out = tmp_path / "out"
    done = run_cli(
        "analytics", "run", "--no-progress", "--out", str(out), data_dir=data_dir, store=store
    )
    assert done.returncode == 0, done.stderr
    assert "Artist t" in done.stdout and "2 communities" in done.stdout
    report = json.loads((out / "report.json").read_text())
    assert report["top_artists"][0]["id"] == "t"
    assert (out / "movements.png").stat().st_size > 1000
    written = run_cli(
        "cypher",
        "MATCH (a:Artist {id: 't'}) RETURN a.community AS c",
        "--json",
        data_dir=data_dir,
        store=store,
    )
    assert json.loads(written.stdout) == {"c": 0}

    exported = run_cli(
        "analytics",
        "export",
        "--no-progress",
        "--format",
        "json",
        str(tmp_path / "x"),
        data_dir=data_dir,
        store=store,
    )
    assert exported.returncode == 0, exported.stderr
    movements = json.loads((tmp_path / "x" / "movements.json").read_text())
    assert len(movements["nodes"]) == 4


def test_cli_on_an_empty_graph_says_what_to_do(store: GraphStore, tmp_path: Path) -> None:
    done = run_cli("analytics", "run", "--no-progress", data_dir=tmp_path / "empty", store=store)
    assert done.returncode == 6
    assert "error:" in done.stderr and "populate" in done.stderr
    assert "Traceback" not in done.stderr
