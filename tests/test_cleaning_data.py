"""The cleaning rules on the real sources: each case issue 11 names, and others of its kind,
pinned in the graph every source builds; a hand-made source loaded on the real engine."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graphkit.datasets.labels import fetch_labels
from graphkit.identity import ArtistRecord
from graphkit.loader import Loader
from graphkit.quality import cleaning_counts
from graphkit.records import SourceBatch
from graphkit.store import GraphStore
from tests.helpers import count, run_cli
from tests.test_cleaning_rules import FAMILIES, MOVEMENT_PAIRS

pytestmark = pytest.mark.slow


def _artist(store: GraphStore, artist_id: str) -> dict:
    rows = store.cypher(
        "MATCH (a:Artist {id: $id}) RETURN properties(a) AS p", {"id": artist_id}
    ).rows
    assert rows, f"no Artist {artist_id}"
    return rows[0]["p"]


def test_nothing_is_left_to_clean_but_unresolvable_places(populated: GraphStore) -> None:
    counts = cleaning_counts(populated)
    assert counts["artists named with a title beside the same name without"] == 0
    assert counts["artists recorded twice (same name and years)"] == 0
    assert counts["country nodes duplicating another"] == 0
    assert counts["movement nodes under a folded spelling"] == 0
    assert counts["artwork date ranges that end first"] == 0
    assert counts["artwork years before 1000"] == 0
    assert counts["works dated outside their artist's life"] == 0
    assert counts["artists with an attribution in the name"] == 0  # was 47, with 569 works
    # 259 at first; 56 before the GeoNames gazetteer; 27 with it
    assert counts["top-level places that are no country"] < 35


def test_the_gazetteer_puts_towns_under_their_country(populated: GraphStore) -> None:
    def countries(name: str) -> list[str]:
        return [
            r["c"]
            for r in populated.cypher(
                "MATCH (p:Place {name: $name})-[:LOCATED_IN*1..4]->(c:Place {type: 'country'}) "
                "RETURN DISTINCT c.name AS c ORDER BY c",
                {"name": name},
            ).rows
        ]

    assert countries("Vinci") == ["Italy"]  # the datathon's: a town of Italy only
    assert countries("Saint Hélier") == ["Jersey"]  # Tate's
    assert countries("Mantua") == ["Italy"]  # also in Cuba and the US: its artist's other places
    # Pissarro's Saint Thomas: France has a hamlet of the name and he died in France, which is
    # not enough beside the Virgin Islands; it stays unresolved, reported, not guessed.
    top = "MATCH (p:Place {name: 'Saint Thomas'}) WHERE NOT (p)-[:LOCATED_IN]->() RETURN count(p)"
    assert populated.cypher(top).value() == 1
    reported = [
        json.loads(line)
        for summary in populated.summaries  # type: ignore[attr-defined]
        for line in Path(summary.rules_path).read_text(encoding="utf-8").splitlines()
        if '"place attached to its country"' in line and "GeoNames" in line
    ]
    vinci = next(r for r in reported if r["name"] == "Vinci")
    assert vinci["by"] == "the only country with a place of that name"
    assert vinci["gazetteer"].startswith("GeoNames ") and vinci["countries"] == ["Italy"]


def test_attributions_live_on_the_relationship(populated: GraphStore) -> None:
    van_dyck = _artist(populated, "artist:sir-anthony-van-dyck")
    assert not any("after" in alias.lower() for alias in van_dyck["aliases"])
    assert {"tate:artist:565", "datathon:artist:112", "datathon:artist:201"} <= set(
        van_dyck["source_ids"]
    )
    by_attribution = {
        r["attribution"]: r["n"]
        for r in populated.cypher(
            "MATCH (:Artwork)-[r:CREATED_BY]->(:Artist) WHERE r.attribution IS NOT NULL "
            "RETURN r.attribution AS attribution, count(*) AS n"
        ).rows
    }
    assert by_attribution["after"] > 2000  # Tate's 'after' role plus the datathon's '(after)'
    assert {"attributed to", "workshop of", "studio of", "follower of"} <= set(by_attribution)
    # Every datathon work of an '(after)' record now hangs off the master, marked 'after'.
    assert (
        count(
            populated,
            "(w:Artwork)-[r:CREATED_BY {attribution: 'after'}]->(:Artist {id: $id}) "
            "WHERE w.id STARTS WITH 'datathon:'",
            {"id": "artist:sir-joshua-reynolds"},
        )
        == 25
    )
    assert count(populated, "(a:Artist) WHERE a.name STARTS WITH '(after)'") == 0


def test_titles_no_longer_split_a_person(populated: GraphStore) -> None:
    paolozzi = _artist(populated, "artist:sir-eduardo-paolozzi")
    assert set(paolozzi["sources"]) == {"tate", "wikiart", "generated"}
    assert count(populated, "(a:Artist) WHERE a.name CONTAINS 'Paolozzi'") == 1
    assert (
        count(populated, "(:Artwork)-[:CREATED_BY]->(:Artist {id: $id})", {"id": paolozzi["id"]})
        > 390
    )


def test_duplicate_records_of_one_source_are_one_person(populated: GraphStore) -> None:
    gericault = _artist(populated, "artist:theodore-gericault")
    assert {"datathon:artist:51", "datathon:artist:600"} <= set(gericault["source_ids"])
    notes = [n for s in populated.summaries for n in s.notes]  # type: ignore[attr-defined]
    assert any("datathon:artist:600" in n and "duplicate record" in n for n in notes)


def test_namesakes_in_the_real_sources_stay_apart(populated: GraphStore) -> None:
    pissarros = populated.cypher(
        "MATCH (a:Artist) WHERE a.name ENDS WITH 'Pissarro' RETURN a.name AS name ORDER BY name"
    ).rows
    assert [r["name"] for r in pissarros] == [
        "Camille Pissarro",
        "Esther Pissarro",
        "Lucien Pissarro",
    ]
    assert _artist(populated, "artist:hans-holbein-the-younger")["birth_year"] == 1497
    assert count(populated, "(a:Artist) WHERE a.name CONTAINS 'Holbein'") == 2  # and Ambrosius


def test_places_hang_under_one_node_per_country(populated: GraphStore) -> None:
    tops = {
        r["name"]: r["type"]
        for r in populated.cypher(
            "MATCH (p:Place) WHERE NOT (p)-[:LOCATED_IN]->(:Place) "
            "RETURN p.name AS name, p.type AS type"
        ).rows
    }
    for gone in (
        "England",
        "Great Britain",
        "UK",
        "US",
        "U.S.",
        "Papal States",
        "Paris",
        "London 1681",
        "Al-Magreb",
        "Chung-hua Min-kuo",
        "Scotland",
        "Kent",
    ):
        assert gone not in tops, gone
    assert tops["United Kingdom"] == tops["Morocco"] == tops["China"] == "country"
    names = Counter(
        r["name"]
        for r in populated.cypher("MATCH (p:Place {type: 'country'}) RETURN p.name AS name").rows
    )
    assert names.most_common(1)[0][1] == 1  # no country twice
    assert count(populated, "(:Place {id: 'place:paris'})") == 0
    assert count(populated, "(:Place {id: 'place:france.paris'})") == 1
    assert (
        count(
            populated, "(:Place {name: 'Papal States'})-[:LOCATED_IN]->(:Place {id: 'place:italy'})"
        )
        == 1
    )
    assert (
        count(
            populated,
            "(:Place {name: 'England'})-[:LOCATED_IN]->(:Place {id: 'place:united-kingdom'})",
        )
        == 1
    )


def test_movement_spellings_are_one_node_with_aliases(populated: GraphStore) -> None:
    movements = {
        r["name"]: r["aliases"] or []
        for r in populated.cypher(
            "MATCH (m:Movement) RETURN m.name AS name, m.aliases AS aliases"
        ).rows
    }
    for canonical, other in MOVEMENT_PAIRS:
        assert other not in movements and other in movements[canonical], canonical


def test_impossible_dates_are_dropped(populated: GraphStore) -> None:
    years = {
        r["id"]: r["year"]
        for r in populated.cypher(
            "MATCH (w:Artwork) WHERE w.id IN $ids RETURN w.id AS id, w.year AS year",
            {
                "ids": [
                    "tate:artwork:42241",
                    "datathon:artwork:477",
                    "datathon:artwork:790",
                    "datathon:artwork:7653",
                    "tate:artwork:2764",
                ]
            },
        ).rows
    }
    # Tate's 1828–1819; Manet's and Morisot's 'Before the Mirror' dated 1932; Cross's work
    # dated 1800 (his years arrive from a later source); Constable's 1855 edition stays.
    assert years == {
        "tate:artwork:42241": None,
        "datathon:artwork:477": None,
        "datathon:artwork:790": None,
        "datathon:artwork:7653": None,
        "tate:artwork:2764": 1855,
    }
    # WikiArt: a number in the title read as the year ('tales of genji iii 1887').
    assert (
        count(
            populated,
            "(w:Artwork) WHERE w.id ENDS WITH 'helen-frankenthaler_tales-of-genji-iii-1887' "
            "AND w.year IS NULL",
        )
        == 1
    )


def test_every_rule_is_in_the_reports(populated: GraphStore) -> None:
    summaries = {s.source: s for s in populated.summaries}  # type: ignore[attr-defined]
    rules: Counter[str] = Counter()
    for summary in summaries.values():
        assert summary.rules_path is not None and Path(summary.rules_path).is_file()
        for line in Path(summary.rules_path).read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            assert entry["source"] == summary.source
            rules[entry["rule"]] += 1
    assert set(rules) == {
        "artist merged",
        "artist merged by score",
        "artist possibly same",
        "artist merge refused",
        "attribution moved to relationship",
        "place put under its country",
        "place attached to its country",
        "place unresolved",
        "movement alias folded",
        "date dropped",
    }
    assert summaries["datathon"].rule_counts()["attribution moved to relationship"] == 33
    merged = [
        json.loads(line)
        for line in Path(summaries["wikiart"].rules_path).read_text().splitlines()
        if '"artist merged"' in line
    ]
    assert all(m["why"] and m["node"] for m in merged)


def test_stats_shows_identity_figures(populated: GraphStore, tmp_path: Path) -> None:
    result = run_cli("stats", "--json", "--cleaning", data_dir=tmp_path, store=populated)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    identity = lines[0]["identity"]
    assert identity["artists_from_several_sources"] > 300
    assert identity["artists_from_one_source"] > 4000
    assert identity["countries"] > 90
    assert lines[1]["cleaning"]["country nodes duplicating another"] == 0


def test_a_hand_made_source_never_merges_namesakes(store: GraphStore) -> None:
    for source, spell in (("hand", lambda n: n), ("other", lambda n: n.upper())):
        batch = SourceBatch(source)
        for number, (name, born, died) in enumerate(FAMILIES):
            ref = f"{source}:artist:{number}"
            batch.add_artist(ArtistRecord(ref, spell(name), born, died))
            batch.add_node("Artwork", f"{source}:artwork:{number}", {"title": name}, None)
            batch.add_rel("CREATED_BY", f"{source}:artwork:{number}", ref, {"role": "artist"})
        Loader(store, progress=False).load(batch)
    rows = store.cypher("MATCH (a:Artist) RETURN a.name AS name, a.sources AS sources").rows
    assert len(rows) == len(FAMILIES)
    assert all(sorted(r["sources"]) == ["hand", "other"] for r in rows)


def test_labelling_leaves_out_attributed_works_unless_asked(store: GraphStore) -> None:
    store.cypher(
        "CREATE (m:Movement {id: 'movement:baroque', name: 'Baroque'}) "
        "CREATE (a:Artist {id: 'artist:rubens', name: 'Peter Paul Rubens'})-[:MEMBER_OF]->(m) "
        "CREATE (:Artwork {id: 'w:own', image_path: '/x/own.jpg'})"
        "-[:CREATED_BY {role: 'artist'}]->(a) "
        "CREATE (:Artwork {id: 'w:after', image_path: '/x/after.jpg'})"
        "-[:CREATED_BY {role: 'artist', attribution: 'workshop of'}]->(a)",
        write=True,
    )
    assert list(fetch_labels(store, "artist").rows["artwork_id"]) == ["w:own"]
    kept = fetch_labels(store, "artist", keep_attributed=True).rows
    assert list(kept["artwork_id"]) == ["w:after", "w:own"]


def test_stats_finds_what_an_old_rules_graph_left_to_clean(
    store: GraphStore, tmp_path: Path
) -> None:
    """The README's upgrade check: a graph loaded under the old rules shows non-zero counts."""
    store.cypher(
        "CREATE (a:Artist {id: 'artist:after-carel-fabritius', name: '(after) Carel Fabritius'}) "
        "CREATE (:Artwork {id: 'w:1', year: 1700, year_start: 1700, year_end: 1700})"
        "-[:CREATED_BY {role: 'artist'}]->(a) "
        "CREATE (:Artist {id: 'artist:sir-x-y', name: 'Sir X Y'}), "
        "(:Artist {id: 'artist:x-y', name: 'X Y'}) "
        "CREATE (b:Artist {id: 'artist:fabritius', name: 'Carel Fabritius', birth_year: 1622, "
        "death_year: 1654})<-[:CREATED_BY {role: 'artist'}]-(:Artwork {id: 'w:2', year: 1700, "
        "year_start: 1700, year_end: 1700}) "
        "CREATE (:Place {id: 'place:england', name: 'England', type: 'country'}), "
        "(:Place {id: 'place:great-britain', name: 'Great Britain', type: 'country'}), "
        "(:Place {id: 'place:united-kingdom', name: 'United Kingdom', type: 'country'}), "
        "(:Place {id: 'place:paris', name: 'Paris'}), "
        "(:Place {id: 'place:france.paris', name: 'Paris'})-[:LOCATED_IN]->"
        "(:Place {id: 'place:france', name: 'France', type: 'country'}) "
        "CREATE (:Movement {id: 'movement:neo-classicism', name: 'Neo-Classicism'})",
        write=True,
    )
    result = run_cli("stats", "--json", "--cleaning", data_dir=tmp_path, store=store)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.splitlines()[1])["cleaning"]
    assert counts["artists with an attribution in the name"] == 1
    assert counts["works linked to them"] == 1
    assert counts["artists named with a title beside the same name without"] == 1
    assert counts["country nodes duplicating another"] == 1  # Great Britain beside the UK
    assert counts["top-level places that are no country"] == 1
    assert counts["of them named like a place under a country"] == 1
    assert counts["movement nodes under a folded spelling"] == 1
    assert counts["works dated outside their artist's life"] == 1
