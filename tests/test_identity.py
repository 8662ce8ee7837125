"""Artist identity: merge the same person across sources, never two people who share a name."""

from __future__ import annotations

from graphkit.identity import ArtistRecord, ArtistResolver


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
