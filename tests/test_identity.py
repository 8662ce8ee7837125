"""Artist identity: merge the same person across sources, never two people who share a name."""

from __future__ import annotations

import pandas as pd
import pytest

from graphkit.datasets.dedupe import split_groups
from graphkit.identity import ArtistRecord, ArtistResolver, Decision
from graphkit.matching import MERGE_AT, REVIEW_AT, Profile, score_pair
from graphkit.names import name_variants


def test_name_variants_with_agreeing_years_merge() -> None:
    resolver = ArtistResolver()
    first = resolver.resolve(ArtistRecord("tate:artist:1", "Claude Monet", 1840, 1926))
    second = resolver.resolve(ArtistRecord("datathon:artist:2", "Claude Oscar Monet", 1840, 1926))
    third = resolver.resolve(ArtistRecord("generated:artist:m", "Monet, Claude", 1840, 1926))
    assert first.created and not second.created and not third.created
    assert first.artist_id == second.artist_id == third.artist_id == "artist:claude-monet"


def test_slug_without_years_merges_with_the_single_candidate() -> None:
    resolver = ArtistResolver()
    monet = resolver.resolve(ArtistRecord("datathon:artist:2", "Claude Oscar Monet", 1840, 1926))
    slug = resolver.resolve(ArtistRecord("wikiart:artist:claude-monet", "Claude Monet"))
    assert slug.artist_id == monet.artist_id


def test_same_name_different_years_stay_apart() -> None:
    resolver = ArtistResolver()
    elder = resolver.resolve(ArtistRecord("tate:artist:1", "John Smith", 1749, 1831))
    other = resolver.resolve(ArtistRecord("datathon:artist:9", "John Smith", 1900, 1970))
    assert other.created and elder.artist_id != other.artist_id
    assert other.artist_id == "artist:john-smith-1900"


def test_ambiguous_name_without_years_is_kept_apart_and_noted() -> None:
    resolver = ArtistResolver()
    resolver.resolve(ArtistRecord("tate:artist:1", "John Smith", 1749, 1831))
    resolver.resolve(ArtistRecord("tate:artist:2", "John Smith", 1900, 1970))
    slug = resolver.resolve(ArtistRecord("wikiart:artist:john-smith", "John Smith"))
    assert slug.created
    assert slug.note and "kept apart" in slug.note


def test_two_ids_of_one_source_are_two_people() -> None:
    resolver = ArtistResolver()
    a = resolver.resolve(ArtistRecord("tate:artist:1", "Jane Doe"))
    b = resolver.resolve(ArtistRecord("tate:artist:2", "Jane Doe"))
    assert a.artist_id != b.artist_id


def test_known_source_id_resolves_to_its_node_and_fills_only_missing_facts() -> None:
    """On a node several records made, the first source to state a fact keeps it."""
    merged = ["tate:artist:5", "datathon:artist:9"]
    resolver = ArtistResolver(
        [{"id": "artist:x", "props": {"name": "X Y", "birth_year": 1800, "source_ids": merged}}]
    )
    again = resolver.resolve(ArtistRecord("tate:artist:5", "X Y", 1801, 1850))
    assert again.artist_id == "artist:x" and not again.created
    assert again.props == {"death_year": 1850}  # the stored birth year is kept


def test_a_node_of_one_record_takes_what_its_source_now_says() -> None:
    """The record is the node's only statement, so a changed value is its source's correction
    (what `graphkit sync` brings in); an unchanged one changes nothing."""
    resolver = ArtistResolver(
        [
            {
                "id": "artist:x",
                "props": {"name": "X Y", "birth_year": 1800, "source_ids": ["tate:artist:5"]},
            }
        ]
    )
    again = resolver.resolve(ArtistRecord("tate:artist:5", "X Y", 1801, 1850))
    assert again.artist_id == "artist:x" and not again.created
    assert again.props == {"birth_year": 1801, "death_year": 1850}
    assert resolver.resolve(ArtistRecord("tate:artist:5", "X Y", 1801, 1850)).props == {}


def test_a_disputed_birth_year_with_the_same_name_and_death_merges_by_score() -> None:
    """Milton Avery: Tate 1893-1965, the generated source 1885-1965, WikiArt no years."""
    resolver = ArtistResolver()
    tate = resolver.resolve(ArtistRecord("tate:artist:678", "Milton Avery", 1893, 1965))
    generated = resolver.resolve(ArtistRecord("generated:artist:M", "Milton Avery", 1885, 1965))
    slug = resolver.resolve(ArtistRecord("wikiart:artist:milton-avery", "Milton Avery"))
    assert tate.artist_id == generated.artist_id == slug.artist_id == "artist:milton-avery"
    scored = [e for e in generated.evidence if e["rule"] == "artist merged by score"]
    assert scored and scored[0]["disputed"] == {"birth_year": [1893, 1885]}
    assert scored[0]["score"] >= MERGE_AT
    assert resolver.artists["artist:milton-avery"].props["birth_year"] == 1893


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Georgia O’Keeffe", 1887, 1986), ("Georgia Okeeffe", None, None)),  # apostrophe
        (("Sir Anthony Van Dyck", 1599, 1641), ("Anthonis van Dyck", 1599, 1641)),
        (("Alexander Benois", 1870, 1960), ("Alexandre Benois", 1870, 1960)),
        (("Frederic, Lord Leighton", 1830, 1896), ("Lord Frederick Leighton", 1830, 1896)),
        (("Max Ernst", 1891, 1976), ("Maximilian Maria Ernst", 1891, 1976)),
        (("Helen Beatrix Potter", 1866, 1943), ("Beatrix Potter", 1866, 1943)),
    ],
)
def test_spelling_and_forename_variants_with_the_same_years_merge(
    first: tuple[str, int, int], second: tuple[str, int | None, int | None]
) -> None:
    resolver = ArtistResolver()
    one = resolver.resolve(ArtistRecord("a:artist:1", *first))
    two = resolver.resolve(ArtistRecord("b:artist:1", *second))
    assert two.artist_id == one.artist_id and not two.created
    assert two.evidence[-1]["rule"] == "artist merged by score"


def test_an_alias_in_parentheses_before_the_name_reads_as_after_it() -> None:
    assert name_variants("(Giovanni Antonio Canal) Canaletto") == [
        "(Giovanni Antonio Canal) Canaletto",
        "Canaletto",
        "Giovanni Antonio Canal",
    ]
    resolver = ArtistResolver()
    tate = resolver.resolve(
        ArtistRecord("tate:artist:2302", "Canaletto (Giovanni Antonio Canal)", 1697, 1768)
    )
    datathon = resolver.resolve(
        ArtistRecord("datathon:artist:307", "(Giovanni Antonio Canal) Canaletto", 1697, 1768)
    )
    assert datathon.artist_id == tate.artist_id


def test_grey_zone_pairs_become_candidates_for_review() -> None:
    """A forename variant without years to confirm it is for a curator, not the rules."""
    resolver = ArtistResolver()
    stamos = resolver.resolve(ArtistRecord("tate:artist:1", "Theodoros Stamos", 1922, 1997))
    other = resolver.resolve(ArtistRecord("wikiart:artist:theodorus-stamos", "Theodorus Stamos"))
    assert other.created and other.artist_id != stamos.artist_id
    assert [p["other"] for p in other.possible] == [stamos.artist_id]
    assert REVIEW_AT <= other.possible[0]["score"] < MERGE_AT
    assert any("variants" in line for line in other.possible[0]["evidence"])


NAMESAKES = [
    ("Camille Pissarro", 1830, 1903),
    ("Lucien Pissarro", 1863, 1944),
    ("Pieter Brueghel the Elder", 1525, 1569),
    ("Pieter Brueghel the Younger", 1564, 1638),
    ("Jan Brueghel the Elder", 1568, 1625),
    ("Hans Holbein the Elder", 1460, 1524),
    ("Hans Holbein the Younger", 1497, 1543),
    ("John Smith", 1652, 1743),
    ("John Smith", 1749, 1831),
]


def test_scored_comparison_keeps_namesakes_apart_and_proposes_nothing() -> None:
    resolver = ArtistResolver()
    ids = [
        resolver.resolve(ArtistRecord(f"hand:artist:{i}", name, born, died))
        for i, (name, born, died) in enumerate(NAMESAKES)
    ]
    assert len({r.artist_id for r in ids}) == len(NAMESAKES)
    # A second source with the same people: each finds its own, nothing is left to review.
    again = [
        resolver.resolve(ArtistRecord(f"other:artist:{i}", name, born, died))
        for i, (name, born, died) in enumerate(NAMESAKES)
    ]
    assert [r.artist_id for r in again] == [r.artist_id for r in ids]
    assert all(not r.possible for r in ids + again)


@pytest.mark.parametrize(
    ("one", "other", "verdict"),
    [
        (
            Profile(("Camille Pissarro",), 1830, 1903),
            Profile(("Lucien Pissarro",), 1863, 1944),
            "different",
        ),
        (Profile(("John Smith",), 1749, 1831), Profile(("John Smith",), 1900, 1970), "different"),
        (Profile(("Jan van Eyck",)), Profile(("Hubert Jan van Eyck",)), "possible"),
        (Profile(("Milton Avery",), 1893, 1965), Profile(("Milton Avery",), 1885, 1965), "same"),
        (
            Profile(("Guercino",), 1591, 1666, frozenset({"datathon"})),
            Profile(("Giovanni Francesco Guercino",), 1591, 1666, frozenset({"datathon"})),
            "possible",  # two records of one source: a curator's call
        ),
    ],
)
def test_score_verdicts(one: Profile, other: Profile, verdict: str) -> None:
    assert score_pair(one, other).verdict == verdict


def test_a_curators_decisions_come_before_the_rules() -> None:
    separated = Decision("different", frozenset({"tate:artist:1"}), frozenset({"wiki:artist:x"}))
    merged = Decision("same", frozenset({"tate:artist:2"}), frozenset({"gen:artist:y"}))
    resolver = ArtistResolver(decisions=[separated, merged])
    avery = resolver.resolve(ArtistRecord("tate:artist:1", "Milton Avery", 1893, 1965))
    slug = resolver.resolve(ArtistRecord("wiki:artist:x", "Milton Avery"))
    assert slug.created and slug.artist_id != avery.artist_id and not slug.possible
    smith = resolver.resolve(ArtistRecord("tate:artist:2", "John Smith", 1749, 1831))
    other = resolver.resolve(ArtistRecord("gen:artist:y", "Jonathan Smyth", 1900, 1970))
    assert other.artist_id == smith.artist_id
    assert other.evidence[-1]["why"].startswith("a curator decided")


def test_artists_that_may_be_one_person_share_a_split_group() -> None:
    rows = pd.DataFrame(
        {
            "image_sha256": ["a", "b", "c"],
            "image_phash": [None, None, None],
            "artist_ids": [["artist:caravaggio"], ["artist:michelangelo-merisi"], ["artist:x"]],
        }
    )
    apart, _ = split_groups(rows)
    assert len(set(apart)) == 3
    pair = [("artist:michelangelo-merisi", "artist:caravaggio")]
    together, _ = split_groups(rows, same_artists=pair)
    assert together[0] == together[1] != together[2]


def test_the_birth_place_and_movements_move_a_pair_within_review_never_to_a_merge() -> None:
    milan = frozenset({"place:italy.duchy-of-milan.milan"})
    baroque = frozenset({"movement:baroque"})
    one = Profile(("Caravaggio",), None, 1610)
    other = Profile(("Michelangelo Merisi da Caravaggio",), None, 1610)
    bare = score_pair(one, other)
    placed = score_pair(
        Profile(one.names, None, 1610, born_in=milan, movements=baroque),
        Profile(other.names, None, 1610, born_in=milan, movements=baroque),
    )
    assert REVIEW_AT <= bare.score < placed.score < MERGE_AT
    assert "born in the same place (place:italy.duchy-of-milan.milan)" in placed.evidence
    assert "a movement in common (movement:baroque)" in placed.evidence
    assert placed.evidence[-1].startswith("places and movements alone never merge")


def test_birth_places_in_different_countries_count_against_a_pair() -> None:
    names = (("Elizabeth Stanhope Forbes",), ("Stanhope Alexander Forbes",))
    bare = score_pair(Profile(names[0], None, 1947), Profile(names[1], 1857, 1947))
    apart = score_pair(
        Profile(names[0], None, 1947, born_in=frozenset({"place:canada.kingston"})),
        Profile(names[1], 1857, 1947, born_in=frozenset({"place:ireland.dublin"})),
    )
    assert apart.score < bare.score
    assert "born in different countries (canada / ireland)" in apart.evidence
    # A place with no country above it says nothing about the country.
    lone = score_pair(
        Profile(names[0], None, 1947, born_in=frozenset({"place:melmerby"})),
        Profile(names[1], 1857, 1947, born_in=frozenset({"place:ireland.dublin"})),
    )
    assert lone.score == bare.score
