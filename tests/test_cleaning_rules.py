"""The cleaning rules of issue 11, rule by rule, without a graph: attributions in names, titles
and particles, generations, duplicate records, places, movement spellings, impossible dates."""

from __future__ import annotations

import pytest

from graphkit.identity import ArtistRecord, ArtistResolver
from graphkit.lifespans import check_range, drop_dates_outside_lifespans
from graphkit.names import generation, split_attribution
from graphkit.normalize import display_name, movement_alias, movement_id, name_keys, parse_year
from graphkit.places import attach_lone_places, country_name, place_name, resolve_chain
from graphkit.records import SourceBatch
from graphkit.sources.common import add_place_chain


@pytest.mark.parametrize(
    ("raw", "name", "attribution"),
    [
        ("(after) Sir Joshua Reynolds", "Sir Joshua Reynolds", "after"),
        ("Sir Anthony van (after) Dyck", "Sir Anthony van Dyck", "after"),
        ("(after) Landseer, Sir Edwin", "Landseer, Sir Edwin", "after"),
        ("(studio of) Clouet", "Clouet", "studio of"),
        ("Attributed to Peter Paul Rubens", "Peter Paul Rubens", "attributed to"),
        ("Workshop of Diego Velázquez", "Diego Velázquez", "workshop of"),
        ("Follower of Jan Massys", "Jan Massys", "follower of"),
        ("Circle of Rembrandt", "Rembrandt", "circle of"),
        ("School of Johann Liss, the younger", "Johann Liss, the younger", "school of"),
        ("Manner of Titian", "Titian", "manner of"),
        ("Copy after Raphael", "Raphael", "copy after"),
        ("Style of Hubert Robert", "Hubert Robert", "style of"),
        ("Lippi-Pesellino Imitator", "Lippi-Pesellino", "imitator of"),
        (
            "Lippi-Pesellino Imitator (Italian, active c. 1450-1500)",
            "Lippi-Pesellino (Italian, active c. 1450-1500)",
            "imitator of",
        ),
        ("Claude Monet", "Claude Monet", None),
        ("After", "After", None),  # a name, not an attribution of nobody
    ],
)
def test_attributions_come_out_of_names(raw: str, name: str, attribution: str | None) -> None:
    person = split_attribution(raw)
    assert (person.name, person.attribution) == (name, attribution)


def test_the_datathon_form_reads_as_the_master() -> None:
    assert display_name(split_attribution("(after) Dyck, Sir Anthony van").name) == (
        "Sir Anthony van Dyck"
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sir Eduardo Paolozzi", "Eduardo Paolozzi"),
        ("Paolozzi, Sir Eduardo", "eduardo paolozzi"),
        ("Sir Anthony Van Dyck", "Anthony van Dyck"),
        ("Dame Barbara Hepworth", "Barbara Hepworth"),
        ("Rev. Matthew William Peters", "Matthew William Peters"),
        ("Sir Joshua Reynolds PRA", "Joshua Reynolds"),
        ("Vincent van Gogh", "Vincent Gogh"),
    ],
)
def test_titles_particles_and_post_nominals_do_not_break_a_match(one: str, other: str) -> None:
    assert name_keys(one) == name_keys(other)


def test_generations_are_read_wherever_the_source_writes_them() -> None:
    assert generation("Jan Brueghel the Elder") == "elder"
    assert generation("Holbein, Hans, the Younger") == "younger"
    assert generation("Pieter The Younger Brueghel") == "younger"  # the datathon's order
    assert generation("George Barret Junior") == "younger"
    assert generation("Joos de Momper II") == "ii"
    assert generation("Claude Monet") is None
    assert display_name("Holbein, Hans, the Younger") == "Hans Holbein the Younger"


FAMILIES = [
    ("Camille Pissarro", 1830, 1903),
    ("Lucien Pissarro", 1863, 1944),
    ("Esther Pissarro", 1870, 1951),
    ("Jan Brueghel the Elder", 1568, 1625),
    ("Jan Brueghel the Younger", 1601, 1678),
    ("Hans Holbein the Elder", 1460, 1524),
    ("Hans Holbein the Younger", 1497, 1543),
]


def test_namesakes_are_never_merged_within_or_across_sources() -> None:
    resolver = ArtistResolver()
    first = {
        name: resolver.resolve(ArtistRecord(f"hand:artist:{i}", name, born, died)).artist_id
        for i, (name, born, died) in enumerate(FAMILIES)
    }
    assert len(set(first.values())) == len(FAMILIES)
    # A second source spells them its own way, some without years: each finds its own node.
    other = [
        ("Pissarro, Camille", 1830, 1903, "Camille Pissarro"),
        ("Lucien Pissarro", None, None, "Lucien Pissarro"),
        ("Brueghel, Jan, the Younger", None, None, "Jan Brueghel the Younger"),
        ("Jan Brueghel the Elder", 1568, None, "Jan Brueghel the Elder"),
        ("Holbein, Hans, the Elder", None, None, "Hans Holbein the Elder"),
        ("hans holbein the younger", None, None, "Hans Holbein the Younger"),
    ]
    for i, (name, born, died, meant) in enumerate(other):
        found = resolver.resolve(ArtistRecord(f"second:artist:{i}", name, born, died))
        assert not found.created and found.artist_id == first[meant], name
    # Without a generation and without years, 'Jan Brueghel' could be either: kept apart.
    either = resolver.resolve(ArtistRecord("third:artist:1", "Jan Brueghel"))
    assert either.created and "kept apart" in (either.note or "")


def test_two_records_of_one_source_with_the_same_name_and_years_are_one_person() -> None:
    resolver = ArtistResolver()
    one = resolver.resolve(ArtistRecord("datathon:artist:51", "Theodore Gericault", 1791, 1824))
    two = resolver.resolve(ArtistRecord("datathon:artist:600", "Théodore Géricault", 1791, 1824))
    assert two.artist_id == one.artist_id and not two.created
    assert two.note and "duplicate record" in two.note
    assert two.evidence[-1]["rule"] == "artist merged"
    # Same name, other years, or no years at all: two people, as before.
    apart = resolver.resolve(ArtistRecord("datathon:artist:7", "Theodore Gericault", 1850, 1900))
    blank = resolver.resolve(ArtistRecord("datathon:artist:8", "Jane Doe"))
    again = resolver.resolve(ArtistRecord("datathon:artist:9", "Jane Doe"))
    assert apart.created and blank.artist_id != again.artist_id
    assert any(e["why"] == "another record of the same source" for e in again.evidence)


def test_an_after_record_names_the_master_and_does_not_block_his_own_record() -> None:
    resolver = ArtistResolver()
    tate = resolver.resolve(ArtistRecord("tate:artist:565", "Sir Anthony Van Dyck", 1599, 1641))
    after = resolver.resolve(
        ArtistRecord("datathon:artist:112", "Sir Anthony van Dyck", None, 1641, attribution="after")
    )
    own = resolver.resolve(ArtistRecord("datathon:artist:201", "Sir Anthony Van Dyck", None, 1641))
    assert tate.artist_id == after.artist_id == own.artist_id == "artist:sir-anthony-van-dyck"


@pytest.mark.parametrize(
    ("names", "chain", "how"),
    [
        (["Al-Magreb"], ["Morocco"], "country"),
        (["Chung-hua Min-kuo", "Beijing"], ["China", "Beijing"], "country"),
        (["Great Britain", "London"], ["United Kingdom", "London"], "country"),
        (["UK"], ["United Kingdom"], "country"),
        (["U.S.", "Boston"], ["United States", "Boston"], "country"),
        (["Bénin"], ["Benin"], "country"),
        (["England", "London"], ["United Kingdom", "England", "London"], "under its country"),
        (["Kent", "Dover"], ["United Kingdom", "Kent", "Dover"], "under its country"),
        (["Papal States", "Bologna"], ["Italy", "Papal States", "Bologna"], "under its country"),
        (["Kingdom of France"], ["France", "Kingdom of France"], "under its country"),
        (["Republic of Venice"], ["Italy", "Republic of Venice"], "under its country"),
        (["OhioUnited States of America"], ["United States", "Ohio"], "under its country"),
        (["London 1681"], ["London"], None),
        (["Hungary (today Bratislava"], ["Hungary"], "country"),
        (["?", "Paris"], ["France", "Paris"], "under its country"),
        (["Rome"], ["Rome"], None),
    ],
)
def test_place_chains_reach_a_country(names: list[str], chain: list[str], how: str | None) -> None:
    assert resolve_chain(names) == (chain, how)


def test_place_names_lose_dates_and_junk() -> None:
    assert place_name("France[1]") == "France"
    assert place_name("near Paris") == "Paris"
    assert place_name("Ibid.") is None and place_name("?") is None
    assert country_name("Russian Federation") == country_name("Rossiya") == "Russia"
    assert country_name("Czechia") == "Czech Republic"
    assert country_name("Paris") is None


def test_a_lone_city_joins_the_one_country_that_holds_a_place_of_its_name() -> None:
    batch = SourceBatch("hand")
    lone = add_place_chain(batch, ["Rome"], "city", "hand:place:1")
    below = add_place_chain(batch, ["Rome", "Trastevere"], None, "hand:place:2")
    batch.add_rel("BORN_IN", "hand:artist:1", lone or "")
    batch.add_rel("BORN_IN", "hand:artist:2", below or "")
    springfield = add_place_chain(
        batch, ["Springfield"], None
    )  # under two countries: left unresolved
    existing = [
        {"id": "place:italy", "name": "Italy", "type": "country"},
        {"id": "place:italy.lazio.rome", "name": "Rome", "type": None},
        {"id": "place:united-kingdom", "name": "United Kingdom", "type": "country"},
        {"id": "place:united-kingdom.springfield", "name": "Springfield", "type": None},
        {"id": "place:united-states", "name": "United States", "type": "country"},
        {"id": "place:united-states.illinois.springfield", "name": "Springfield", "type": None},
    ]
    evidence = attach_lone_places(batch, existing)
    assert [e["rule"] for e in evidence] == ["place attached to its country", "place unresolved"]
    assert set(batch.nodes["Place"]) == {
        "place:italy.lazio.rome",
        "place:italy.lazio.rome.trastevere",
        springfield,
    }
    assert set(batch.rels["BORN_IN"]) == {
        ("hand:artist:1", "place:italy.lazio.rome"),
        ("hand:artist:2", "place:italy.lazio.rome.trastevere"),
    }
    assert ("place:italy.lazio.rome.trastevere", "place:italy.lazio.rome") in batch.rels[
        "LOCATED_IN"
    ]


def test_the_gazetteer_places_towns_by_name_or_by_their_artists_other_places() -> None:
    batch = SourceBatch("hand")
    vinci = add_place_chain(batch, ["Vinci"], None, "hand:place:1")  # a town of Italy only
    rome = add_place_chain(batch, ["Rome"], None, "hand:place:2")  # Italy, Togo, the US
    saint_thomas = add_place_chain(batch, ["Saint Thomas"], None, "hand:place:3")
    nowhere = add_place_chain(batch, ["Xqzzyville"], None, "hand:place:4")
    paris = add_place_chain(batch, ["France", "Paris"], None, "hand:place:5")
    florence = add_place_chain(batch, ["Italy", "Florence"], None, "hand:place:6")
    for artist, born, died in (("1", rome, florence), ("2", saint_thomas, paris)):
        batch.add_rel("BORN_IN", f"hand:artist:{artist}", born or "")
        batch.add_rel("DIED_IN", f"hand:artist:{artist}", died or "")
    evidence = {e["name"]: e for e in attach_lone_places(batch, [])}
    assert evidence["Vinci"]["by"] == "the only country with a place of that name"
    assert evidence["Rome"]["by"] == "the one of its countries its artists' other places are in"
    assert {"Italy", "United States"} <= set(evidence["Rome"]["countries"])
    # Died in France, where a hamlet has the name: not enough beside a namesake 10x its size.
    assert evidence["Saint Thomas"]["rule"] == evidence["Xqzzyville"]["rule"] == "place unresolved"
    assert evidence["Xqzzyville"]["why"] == "no country"
    places = batch.nodes["Place"]
    assert {"place:italy.vinci", "place:italy.rome", saint_thomas, nowhere} <= set(places)
    assert vinci not in places and rome not in places  # moved under Italy
    assert ("place:italy.vinci", "place:italy") in batch.rels["LOCATED_IN"]
    assert ("hand:artist:1", "place:italy.rome") in batch.rels["BORN_IN"]


# The near-duplicate movements issue 11 found: (the name kept, the spelling folded into it).
MOVEMENT_PAIRS = [
    ("Neoclassicism", "Neo-Classicism"),
    ("Purism", "Purismo"),
    ("Suprematism", "Supremetism"),
    ("Mannerism", "Mannerist"),
    ("Orientalism", "Orientalist"),
    ("Aestheticism", "Aesthetic Movement"),
    ("Decadence", "Decadent Movement"),
    ("Naive Art (Primitivism)", "Naive"),
    ("Regionalism", "Regional"),
]


@pytest.mark.parametrize(("one", "other"), MOVEMENT_PAIRS)
def test_movement_spellings_fold_into_one_node(one: str, other: str) -> None:
    assert movement_id(one) == movement_id(other)
    assert movement_alias(other) == other and movement_alias(one) is None


def test_impossible_years_are_not_facts() -> None:
    assert parse_year("1st century") is None  # there is no year 0
    assert parse_year("19th century") == 1800
    batch = SourceBatch("hand")
    assert not check_range(batch, "hand:artwork:1", 1828, 1819)
    assert check_range(batch, "hand:artwork:2", 1819, 1828)
    assert [r["rule"] for r in batch.rules] == ["date dropped"]


def test_works_dated_outside_their_artists_life_lose_their_dates() -> None:
    batch = SourceBatch("hand")
    for number, year in ((1, 1932), (2, 1870), (3, 1820), (4, 1932)):
        batch.add_node(
            "Artwork",
            f"w{number}",
            {"title": "t", "year": year, "year_start": year, "year_end": year},
        )
    batch.add_rel("CREATED_BY", "w1", "hand:artist:manet", {"role": "artist"})
    batch.add_rel("CREATED_BY", "w2", "hand:artist:manet", {"role": "artist"})
    batch.add_rel("CREATED_BY", "w3", "hand:artist:manet", {"role": "artist"})
    batch.add_rel(  # a copy after Manet may be dated after his death
        "CREATED_BY", "w4", "hand:artist:manet", {"role": "artist", "attribution": "after"}
    )
    evidence = drop_dates_outside_lifespans(
        batch,
        {"hand:artist:manet": "artist:edouard-manet"},
        {"artist:edouard-manet": {"birth_year": 1832, "death_year": 1883}},
    )
    assert sorted(e["artwork"] for e in evidence) == ["w1", "w3"]
    dated = {k: "year" in v.props for k, v in batch.nodes["Artwork"].items()}
    assert dated == {"w1": False, "w2": True, "w3": False, "w4": True}


def test_the_gazetteer_is_read_once_per_name_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphkit import gazetteer

    first = gazetteer.towns_named(["Vinci", "Xqzzyville"])
    assert [t.country_code for t in first["Vinci"]] == ["IT"] and "Xqzzyville" not in first

    def unread(names: set[str]) -> dict:
        raise AssertionError(f"the towns file was read again for {names}")

    monkeypatch.setattr(gazetteer, "_read_towns", unread)
    assert gazetteer.towns_named(["Xqzzyville", "Vinci"]) == first
