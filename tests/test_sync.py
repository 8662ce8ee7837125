"""`graphkit sync` on both engines, on small real copies of the five sources that each test
changes as a source would: nothing changed (every source skipped unread), rows added, changed
and removed, --dry-run, --prune (a node another source states survives), and a sync
interrupted half-way that the next one completes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from graphkit.populate import populate_all
from graphkit.store import GraphStore
from graphkit.sync.run import SyncOptions, SyncReport, sources_under, sync
from graphkit.sync.state import read_states
from tests.helpers import FailingAfter, Interrupted, count, label_counts, rel_counts, run_cli
from tests.source_copies import iter_jsonl_gz, read_jsonl_gz, small_sources, write_jsonl_gz

QUIET = SyncOptions(progress=False)


def _populated(store: GraphStore, shared_data: Path, tmp_path: Path) -> Path:
    src = small_sources(shared_data, tmp_path / "src")
    populate_all(store, src, progress=False, reports_dir=tmp_path / "reports")
    return src


def _sync(store: GraphStore, src: Path, options: SyncOptions = QUIET) -> SyncReport:
    return sync(store, sources_under(src), options)


def _by_source(report: SyncReport) -> dict:
    return {s.source: s for s in report.sources}


def _edit_tate(src: Path, shared_data: Path) -> dict[str, str]:
    """Retitle the first artwork, drop the sixth, add one from further down the real file;
    returns their ids (and how many artworks stay as they were)."""
    path = src / "tate" / "artworks.jsonl.gz"
    works = read_jsonl_gz(path)
    works[0]["title"] = "A title the source corrected"
    removed = works.pop(5)
    present = {w["id"] for w in works}
    known_artists = {a["id"] for a in read_jsonl_gz(src / "tate" / "artists.jsonl.gz")}
    added = next(
        w
        for w in iter_jsonl_gz(shared_data / "tate" / "artworks.jsonl.gz")
        if w["id"] not in present
        and w["id"] != removed["id"]
        and {c["id"] for c in w.get("contributors") or []} <= known_artists
        and w.get("contributors")
    )
    write_jsonl_gz(path, [*works, added])
    return {
        "changed": f"tate:artwork:{works[0]['id']}",
        "removed": f"tate:artwork:{removed['id']}",
        "added": f"tate:artwork:{added['id']}",
        "unchanged": str(len(works) - 1),
    }


def _graph(store: GraphStore) -> tuple[dict, dict]:
    return label_counts(store), rel_counts(store)


def _title(store: GraphStore, node_id: str) -> str | None:
    return store.cypher("MATCH (w:Artwork {id: $id}) RETURN w.title AS t", {"id": node_id}).value()


def test_nothing_changed_reads_no_source(store: GraphStore, shared_data: Path, tmp_path: Path):
    src = _populated(store, shared_data, tmp_path)
    before = _graph(store)
    report = _sync(store, src)
    assert [s.source for s in report.sources] == ["tate", "datathon", "aic", "generated", "wikiart"]
    assert all(not s.read and s.delta is None for s in report.sources)
    assert _graph(store) == before
    # The graph records where each source came from, so a bare sync finds them itself.
    states = read_states(store)
    assert {name: s.path for name, s in states.items()} == {
        name: path.resolve() for name, path in sources_under(src)
    }
    assert all(
        not s.read for s in sync(store, [(n, s.path) for n, s in states.items()], QUIET).sources
    )


def test_dry_run_prints_the_delta_and_changes_nothing(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _populated(store, shared_data, tmp_path)
    ids = _edit_tate(src, shared_data)
    before, title, states = _graph(store), _title(store, ids["changed"]), read_states(store)
    for _ in range(2):  # a dry run records nothing: the second one sees the same delta
        tate = _by_source(_sync(store, src, SyncOptions(dry_run=True, progress=False)))["tate"]
        assert tate.read and tate.files.changed == ["artworks.jsonl.gz"]
        delta = tate.delta
        assert delta.added["Artwork"] == [("Artwork", ids["added"])]
        assert delta.changed == {"Artwork": [("Artwork", ids["changed"])]}
        assert delta.removed["Artwork"] == [("Artwork", ids["removed"])]
        assert {k[1].split("|")[0] for k in delta.removed["CREATED_BY"]} == {ids["removed"]}
        assert delta.unchanged["Artwork"] == int(ids["unchanged"])
    assert _graph(store) == before
    assert _title(store, ids["changed"]) == title
    assert read_states(store) == states


def test_added_and_changed_rows_are_written_and_only_they(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _populated(store, shared_data, tmp_path)
    ids = _edit_tate(src, shared_data)
    # A change made in the graph to an unchanged row: sync does not rewrite that row (its
    # source hash is the same), so the change survives; populate would rewrite it.
    untouched = "tate:artwork:" + str(read_jsonl_gz(src / "tate" / "artworks.jsonl.gz")[1]["id"])
    store.cypher("MATCH (w:Artwork {id: $id}) REMOVE w.title", {"id": untouched}, write=True)
    tate = _by_source(_sync(store, src))["tate"]
    tally = tate.load.tallies["Artwork"]
    assert (tally.created, tally.updated, tally.unchanged) == (1, 1, int(ids["unchanged"]))
    assert _title(store, ids["changed"]) == "A title the source corrected"
    assert count(store, "(:Artwork {id: $id})-[:CREATED_BY]->(:Artist)", {"id": ids["added"]}) >= 1
    assert _title(store, untouched) is None
    # Nothing else was read again, and the next sync finds nothing to do.
    assert [s.source for s in _sync(store, src).sources if s.read] == []


def test_removed_rows_are_kept_and_reported_until_a_sync_prunes_them(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _populated(store, shared_data, tmp_path)
    ids = _edit_tate(src, shared_data)
    first = _by_source(_sync(store, src))["tate"]
    kept = first.delta.total("removed")
    assert first.kept == kept >= 2  # the artwork, its CREATED_BY, ...
    assert count(store, "(:Artwork {id: $id})", {"id": ids["removed"]}) == 1
    again = _by_source(_sync(store, src))["tate"]
    assert not again.read and again.kept == kept  # still reported, without reading the file
    pruned = _by_source(_sync(store, src, SyncOptions(prune=True, progress=False)))["tate"]
    assert pruned.read and pruned.pruned.deleted_nodes == 1
    assert pruned.pruned.released_relationships == pruned.pruned.deleted_relationships >= 1
    assert count(store, "(:Artwork {id: $id})", {"id": ids["removed"]}) == 0
    assert read_states(store)["tate"].removed == 0
    assert not _by_source(_sync(store, src, SyncOptions(prune=True, progress=False)))["tate"].read


def test_prune_keeps_what_another_source_states(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _populated(store, shared_data, tmp_path)
    baroque = src / "wikiart" / "Baroque"
    gone = [f"wikiart:artwork:Baroque/{p.stem}" for p in baroque.iterdir()]
    movement = store.cypher("MATCH (m:Movement {id: 'movement:baroque'}) RETURN m.sources AS s")
    assert sorted(movement.value()) == ["datathon", "wikiart"]
    only_wikiart = store.cypher(
        "MATCH (w:Artwork)-[:CREATED_BY]->(a:Artist) WHERE w.id IN $ids AND a.sources = "
        "['wikiart'] RETURN collect(DISTINCT a.id) AS ids",
        {"ids": gone},
    ).value()
    assert only_wikiart
    before = count(store, "(:Artist)-[:MEMBER_OF]->(:Movement {id: 'movement:baroque'})")
    shutil.rmtree(baroque)

    wikiart = _by_source(_sync(store, src, SyncOptions(prune=True, progress=False)))["wikiart"]
    assert wikiart.files.removed and all(f.startswith("Baroque/") for f in wikiart.files.removed)
    assert count(store, "(w:Artwork) WHERE w.id IN $ids", {"ids": gone}) == 0
    assert count(store, "(a:Artist) WHERE a.id IN $ids", {"ids": only_wikiart}) == 0
    node = store.cypher(
        "MATCH (m:Movement {id: 'movement:baroque'}) RETURN m.sources AS s, m.source_ids AS ids"
    ).rows[0]
    assert node["s"] == ["datathon"]
    assert not any(i.startswith("wikiart:") for i in node["ids"])
    after = count(store, "(:Artist)-[:MEMBER_OF]->(:Movement {id: 'movement:baroque'})")
    assert after == before - len(only_wikiart)  # datathon's memberships stay
    assert count(store, "()-[r]->() WHERE r.sources = []") == 0
    assert count(store, "(n) WHERE n.sources = []") == 0


def test_a_changed_parquet_row_is_updated(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    src = _populated(store, shared_data, tmp_path)
    table = src / "datathon" / "Artwork.parquet.gzip"
    frame = pd.read_parquet(table)
    frame.loc[0, "name"] = "Renamed in the source"
    frame.to_parquet(table, compression="gzip", index=False)
    datathon = _by_source(_sync(store, src))["datathon"]
    node_id = f"datathon:artwork:{frame.loc[0, 'id']}"
    assert datathon.delta.changed == {"Artwork": [("Artwork", node_id)]}
    assert datathon.delta.total("added") == datathon.delta.total("removed") == 0
    assert _title(store, node_id) == "Renamed in the source"


@pytest.mark.parametrize("when", ["writing rows", "pruning"])
def test_an_interrupted_sync_is_completed_by_the_next(
    store_factory: Callable[[], GraphStore], shared_data: Path, tmp_path: Path, when: str
) -> None:
    """Cut off a third of the way through its write transactions (among the row writes), or
    two before the end (in the prune, before the source's state is recorded)."""
    clean, crashed = store_factory(), store_factory()
    src = _populated(clean, shared_data, tmp_path)
    populate_all(crashed, src, progress=False)
    path = src / "tate" / "artworks.jsonl.gz"
    works = read_jsonl_gz(path)
    for work in works[:40]:
        work["title"] = f"{work.get('title')} (retitled)"
    write_jsonl_gz(path, works[:-30])  # 30 removed
    options = SyncOptions(prune=True, batch_size=10, progress=False)
    counting = FailingAfter(clean, writes=10**6)
    _sync(counting, src, options)
    total = 10**6 - counting.left
    writes = total // 3 if when == "writing rows" else total - 2

    with pytest.raises(Interrupted):
        _sync(FailingAfter(crashed, writes=writes), src, options)
    assert read_states(crashed)["tate"] != read_states(clean)["tate"]  # not recorded as done
    finished = _by_source(_sync(crashed, src, options))["tate"]
    assert finished.read
    assert _graph(crashed) == _graph(clean)
    titles = "MATCH (w:Artwork) WHERE w.title ENDS WITH '(retitled)' RETURN count(w) AS n"
    assert crashed.cypher(titles).value() == clean.cypher(titles).value() == 40
    assert read_states(crashed)["tate"].files_sha256 == read_states(clean)["tate"].files_sha256
    assert not _by_source(_sync(crashed, src, options))["tate"].read


def test_sync_command_dry_run_as_json(store: GraphStore, shared_data: Path, tmp_path: Path):
    src = _populated(store, shared_data, tmp_path)
    ids = _edit_tate(src, shared_data)
    result = run_cli(
        "sync", "--dry-run", "--no-progress", "--json", data_dir=tmp_path / "data", store=store
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["changed"]) >= (1, 1)
    tate = next(s for s in report["sources"] if s["source"] == "tate")
    assert tate["delta"]["changed"]["Artwork"] == [ids["changed"]]
    assert _title(store, ids["changed"]) != "A title the source corrected"
    text = run_cli(
        "sync", "tate", str(src / "tate"), "--no-progress", data_dir=tmp_path, store=store
    )
    assert text.returncode == 0, text.stderr
    assert "sync: added 3, changed 1, removed 3 (kept)" in text.stdout
    assert _title(store, ids["changed"]) == "A title the source corrected"
    bad = run_cli("sync", "tate", data_dir=tmp_path, store=store)
    assert bad.returncode == 2 and "needs a PATH" in bad.stderr
