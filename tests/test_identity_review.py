"""Identity review on both engines (issue 19): a curator's merge and separation are stored as
IdentityDecision nodes, applied at once, and outlive a re-populate, a sync and a rebuild of
every Artist node from the sources, on real records: Tate's Theodorus Stamos and André
Cadere beside WikiArt's `theodoros-stamos` and `andrei-cadere` (pairs in the grey zone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.identity_review import decide, read_decisions, review_queue, split_node
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, sync_source
from graphkit.sync.state import read_states
from tests.helpers import count, run_cli
from tests.source_copies import iter_jsonl_gz, write_jsonl_gz

pytestmark = pytest.mark.slow

TATE_IDS = {1984: "Theodorus Stamos", 9243: "André Cadere"}
WIKIART = {"theodoros-stamos": "Abstract_Expressionism", "andrei-cadere": "Minimalism"}
STAMOS, STAMOS_SLUG = "artist:theodorus-stamos", "artist:theodoros-stamos"
CADERE, CADERE_SLUG = "artist:andre-cadere", "artist:andrei-cadere"


def copy_identity_sources(shared_data: Path, out: Path) -> dict[str, Path]:
    """Tate's records of TATE_IDS with their works, and three WikiArt images of each slug."""
    artists = list(iter_jsonl_gz(shared_data / "tate" / "artists.jsonl.gz"))
    write_jsonl_gz(out / "tate" / "artists.jsonl.gz", [a for a in artists if a["id"] in TATE_IDS])
    works = [
        w
        for w in iter_jsonl_gz(shared_data / "tate" / "artworks.jsonl.gz")
        if any(c.get("id") in TATE_IDS for c in w.get("contributors") or [])
    ]
    write_jsonl_gz(out / "tate" / "artworks.jsonl.gz", works)
    for slug, style in WIKIART.items():
        for image in sorted((shared_data / "wikiart" / style).glob(f"{slug}_*.jpg"))[:3]:
            link = out / "wikiart" / style / image.name
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(image)
    return {"tate": out / "tate", "wikiart": out / "wikiart"}


@pytest.fixture(scope="module")
def sources(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return copy_identity_sources(shared_data, tmp_path_factory.mktemp("identity-sources"))


def populate_both(store: GraphStore, sources: dict[str, Path]) -> None:
    for source, path in sources.items():
        populate_source(store, source, path, progress=False)


def _works(store: GraphStore, artist_id: str) -> int:
    return count(store, "(:Artwork)-[:CREATED_BY]->(:Artist {id: $id})", {"id": artist_id})


def assert_decided(store: GraphStore, works: int) -> None:
    """Stamos is one node holding both records and every work; the Cadere pair is gone
    from review, both people kept."""
    assert count(store, "(a:Artist {id: $id})", {"id": STAMOS_SLUG}) == 0
    stamos = store.cypher(
        "MATCH (a:Artist {id: $id}) RETURN a.source_ids AS ids", {"id": STAMOS}
    ).value("ids")
    assert set(stamos) == {"tate:artist:1984", "wikiart:artist:theodoros-stamos"}
    assert _works(store, STAMOS) == works
    assert count(store, "(a:Artist) WHERE a.id IN $ids", {"ids": [CADERE, CADERE_SLUG]}) == 2
    assert count(store, "()-[:POSSIBLY_SAME]->()") == 0
    assert count(store, "(:IdentityDecision)") == 2


def test_decisions_are_applied_at_once_and_outlive_populate_sync_and_rebuild(
    store: GraphStore, sources: dict[str, Path], tmp_path: Path
) -> None:
    populate_both(store, sources)
    pairs = {(r["one"], r["other"]) for r in review_queue(store)}
    assert pairs == {(STAMOS_SLUG, STAMOS), (CADERE_SLUG, CADERE)}
    works = _works(store, STAMOS) + _works(store, STAMOS_SLUG)
    assert _works(store, STAMOS_SLUG) == 3

    decided = decide(store, STAMOS, STAMOS_SLUG, "same", "curator", "one painter")
    assert decided["other_source_ids"] == ["wikiart:artist:theodoros-stamos"]
    result = run_cli(
        "identity", "separate", CADERE, CADERE_SLUG, "--by", "curator",
        data_dir=tmp_path, store=store,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert_decided(store, works)
    who = store.cypher("MATCH (d:IdentityDecision) RETURN collect(d.who) AS w").value("w")
    assert who == ["curator", "curator"]

    populate_both(store, sources)  # a full re-populate
    assert_decided(store, works)

    gone = next((sources["wikiart"] / WIKIART["andrei-cadere"]).glob("andrei-cadere_*"))
    gone.unlink()  # the source changes, so a sync reads it again
    states = read_states(store)
    report = sync_source(
        store, "wikiart", sources["wikiart"], SyncOptions(progress=False), states["wikiart"]
    )
    assert report.read
    assert_decided(store, works)

    # Every Artist rebuilt from the sources: only the decisions remember the curator's word.
    store.cypher("MATCH (a:Artist) DETACH DELETE a", write=True)
    populate_both(store, sources)
    assert_decided(store, works)


def test_a_decision_on_an_unknown_node_is_refused(store: GraphStore) -> None:
    from graphkit.identity_review import IdentityError

    with pytest.raises(IdentityError, match="no Artist"):
        decide(store, "artist:nobody", "artist:nobody-else", "same", "curator")
    with pytest.raises(IdentityError, match="no Artist"):
        split_node(store, "artist:nobody", "tate:artist:1", "curator")
    with pytest.raises(IdentityError, match="verdict"):
        decide(store, "artist:a", "artist:b", "maybe", "curator")
    assert count(store, "(:IdentityDecision)") == 0


def test_a_split_restores_the_person_and_outlives_a_rebuild(
    store: GraphStore, sources: dict[str, Path], tmp_path: Path
) -> None:
    populate_both(store, sources)
    decide(store, STAMOS, STAMOS_SLUG, "same", "curator")
    result = run_cli(
        "identity", "split", STAMOS, "wikiart:artist:theodoros-stamos", "--by", "curator",
        data_dir=tmp_path, store=store,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert STAMOS_SLUG in result.stdout  # the id it had before the merge

    def assert_split() -> None:
        ids = store.cypher(
            "MATCH (a:Artist) WHERE a.id IN $ids RETURN a.id AS id, a.source_ids AS s",
            {"ids": [STAMOS, STAMOS_SLUG]},
        ).rows
        assert {r["id"]: r["s"] for r in ids} == {
            STAMOS: ["tate:artist:1984"],
            STAMOS_SLUG: ["wikiart:artist:theodoros-stamos"],
        }
        assert _works(store, STAMOS_SLUG) == 3  # the works WikiArt gave it
        assert _works(store, STAMOS) > 0

    assert_split()
    # Made within a second of each other, they are read in the order they were made.
    assert [d.verdict for d in read_decisions(store)] == ["same", "different"]
    populate_both(store, sources)
    assert_split()
    name = store.cypher("MATCH (a:Artist {id: $id}) RETURN a.name AS n", {"id": STAMOS_SLUG})
    assert name.value("n") == "Theodoros Stamos"  # its own record's name, back on populate
    store.cypher("MATCH (a:Artist) DETACH DELETE a", write=True)
    populate_both(store, sources)  # the later 'different' overrules the earlier 'same'
    assert count(store, "(a:Artist) WHERE a.id IN $ids", {"ids": [STAMOS, STAMOS_SLUG]}) == 2
    assert count(store, "(:Artist {id: $id})-[:POSSIBLY_SAME]-()", {"id": STAMOS}) == 0
