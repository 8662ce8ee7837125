"""One person, one node on the real sources (issue 19): the splits the rules left, the pairs
for review as POSSIBLY_SAME edges, and a hand-made source of namesakes on the real engine."""

from __future__ import annotations

import json

import pytest

from graphkit.identity import ArtistRecord
from graphkit.loader import Loader
from graphkit.records import SourceBatch
from graphkit.store import GraphStore
from tests.helpers import count
from tests.test_identity import NAMESAKES

pytestmark = pytest.mark.slow


def _artist(store: GraphStore, artist_id: str) -> dict:
    rows = store.cypher(
        "MATCH (a:Artist {id: $id}) RETURN properties(a) AS p", {"id": artist_id}
    ).rows
    assert rows, f"no Artist {artist_id}"
    return rows[0]["p"]


def _rules(store: GraphStore) -> list[dict]:
    reports = store.reports_dir  # type: ignore[attr-defined]
    return [
        json.loads(line)
        for path in sorted(reports.glob("rules-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_milton_avery_is_one_node_with_the_disputed_birth_year_reported(
    populated: GraphStore,
) -> None:
    assert count(populated, "(a:Artist) WHERE a.name = 'Milton Avery'") == 1
    avery = _artist(populated, "artist:milton-avery")
    assert set(avery["sources"]) == {"tate", "generated", "wikiart"}
    assert avery["birth_year"] == 1893 and avery["death_year"] == 1965  # Tate's, loaded first
    merged = [
        r
        for r in _rules(populated)
        if r["rule"] == "artist merged by score" and r["record"] == "generated:artist:Milton-Avery"
    ]
    assert merged and merged[0]["disputed"] == {"birth_year": [1893, 1885]}


@pytest.mark.parametrize(
    ("artist_id", "source_ids"),
    [
        (
            "artist:georgia-o-keeffe",
            {"generated:artist:Georgia-O-Keeffe", "wikiart:artist:georgia-okeeffe"},
        ),
        ("artist:sir-anthony-van-dyck", {"tate:artist:565", "generated:artist:Anthonis-van-Dyck"}),
        ("artist:alexander-benois", {"tate:artist:738", "generated:artist:Alexandre-Benois"}),
        ("artist:frederic-lord-leighton", {"datathon:artist:60"}),
        ("artist:max-ernst", {"generated:artist:Max-Ernst"}),
        ("artist:auguste-renoir", {"datathon:artist:1"}),
        ("artist:clarkson-frederick-stanfield", {"datathon:artist:576"}),
        ("artist:sir-john-everett-millais-bt", {"tate:artist:379", "datathon:artist:198"}),
        (
            "artist:canaletto-giovanni-antonio-canal",
            {"tate:artist:2302", "datathon:artist:20", "datathon:artist:307"},
        ),
    ],
)
def test_the_splits_of_the_real_sources_are_one_node(
    populated: GraphStore, artist_id: str, source_ids: set[str]
) -> None:
    assert source_ids <= set(_artist(populated, artist_id)["source_ids"])
    for sid in source_ids:  # and no other node holds these records
        assert count(populated, "(a:Artist) WHERE $sid IN a.source_ids", {"sid": sid}) == 1


def test_open_pairs_wait_for_review_and_namesakes_stay_apart(populated: GraphStore) -> None:
    pairs = populated.cypher(
        "MATCH (a:Artist)-[p:POSSIBLY_SAME]->(b:Artist) "
        "RETURN a.id AS a, b.id AS b, p.score AS score, p.evidence AS evidence"
    ).rows
    assert 10 < len(pairs) < 100
    assert all(0.5 <= r["score"] < 1 and r["evidence"] for r in pairs)
    found = {(r["a"], r["b"]) for r in pairs}
    assert ("artist:michelangelo-merisi-da-caravaggio", "artist:caravaggio") in found
    assert (
        "artist:hubert-jan-van-eyck",
        "artist:jan-van-eyck",
    ) in found  # brothers: a curator's call
    assert populated.read("stats/identity").value("candidates_in_review") == len(pairs)
    assert count(populated, "(a:Artist) WHERE a.name ENDS WITH 'Pissarro'") == 3
    assert not any("pissarro" in a + b for a, b in found)


def test_a_hand_made_source_of_namesakes_stays_apart_with_nothing_to_review(
    store: GraphStore,
) -> None:
    for source in ("hand", "other"):
        batch = SourceBatch(source)
        for number, (name, born, died) in enumerate(NAMESAKES):
            batch.add_artist(ArtistRecord(f"{source}:artist:{number}", name, born, died))
        Loader(store, progress=False).load(batch)
    assert count(store, "(a:Artist)") == len(NAMESAKES)
    assert count(store, "(a:Artist) WHERE size(a.sources) = 2") == len(NAMESAKES)
    assert count(store, "()-[:POSSIBLY_SAME]->()") == 0


def test_a_grey_pair_is_written_as_possibly_same(store: GraphStore) -> None:
    first, second = SourceBatch("tate"), SourceBatch("wikiart")
    first.add_artist(ArtistRecord("tate:artist:1", "Theodoros Stamos", 1922, 1997))
    second.add_artist(ArtistRecord("wikiart:artist:theodorus-stamos", "Theodorus Stamos"))
    for batch in (first, second, second):  # the second load of a source changes nothing
        Loader(store, progress=False).load(batch)
    rows = store.cypher(
        "MATCH (a:Artist)-[p:POSSIBLY_SAME]->(b:Artist) RETURN a.id AS a, b.id AS b, "
        "p.score AS score, p.evidence AS evidence"
    ).rows
    assert [(r["a"], r["b"]) for r in rows] == [
        ("artist:theodorus-stamos", "artist:theodoros-stamos")
    ]
    assert 0.5 <= rows[0]["score"] < 0.9 and "variants" in rows[0]["evidence"][0]
