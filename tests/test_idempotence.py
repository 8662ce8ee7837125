"""Running a load again changes nothing; an interrupted load is completed by a rerun."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.engines.embedded import EmbeddedServer
from graphkit.engines.falkor import FalkorEngine
from graphkit.loader import Loader
from graphkit.populate import populate_all, populate_source
from graphkit.schema import apply_schema
from graphkit.sources import datathon
from graphkit.store import GraphStore
from tests.helpers import FailingAfter, Interrupted, label_counts, rel_counts


def test_populate_all_twice_changes_nothing(
    populated: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    before = (label_counts(populated), rel_counts(populated))
    summaries = populate_all(populated, shared_data, progress=False, reports_dir=tmp_path)
    for summary in summaries:
        total = summary.total()
        assert (total.created, total.updated) == (0, 0), summary.source
        assert total.unchanged > 0
    assert (label_counts(populated), rel_counts(populated)) == before


def test_interrupted_load_is_completed_by_a_rerun(store_factory, shared_data: Path) -> None:
    clean, crashed = store_factory(), store_factory()
    batch = datathon.read(shared_data / "datathon")
    for target in (clean, crashed):
        apply_schema(target)
    Loader(clean, batch_size=2000, progress=False).load(batch)

    with pytest.raises(Interrupted):
        Loader(FailingAfter(crashed, writes=9), batch_size=2000, progress=False).load(batch)
    partial = label_counts(crashed)
    assert 0 < sum(partial.values()) < sum(label_counts(clean).values())

    summary = Loader(crashed, batch_size=2000, progress=False).load(batch)
    assert summary.total().unchanged > 0  # what the first attempt wrote was kept, not redone
    assert label_counts(crashed) == label_counts(clean)
    assert rel_counts(crashed) == rel_counts(clean)


def test_sources_in_another_order_give_the_same_counts(
    store_factory, shared_data: Path, tmp_path: Path
) -> None:
    folders = {"datathon": "datathon", "aic": "aic_paintings"}
    one, two = store_factory(), store_factory()
    for store, order in ((one, ("datathon", "aic")), (two, ("aic", "datathon"))):
        for source in order:
            populate_source(
                store, source, shared_data / folders[source], progress=False, reports_dir=tmp_path
            )
    assert label_counts(one) == label_counts(two)
    assert rel_counts(one) == rel_counts(two)


def test_a_corrected_source_value_updates_the_node(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    import json
    import shutil

    source = tmp_path / "aic"
    shutil.copytree(shared_data / "aic_paintings", source)
    populate_source(store, "aic", source, progress=False)
    records = json.loads((source / "paintings.json").read_text())
    records[0]["title"] = "Corrected title"
    (source / "paintings.json").write_text(json.dumps(records))

    summary = populate_source(store, "aic", source, progress=False)
    assert summary.tally("Artwork").updated == 1
    assert summary.tally("Artwork").created == 0
    title = store.cypher(
        "MATCH (w:Artwork {id: $id}) RETURN w.title AS t", {"id": f"aic:artwork:{records[0]['id']}"}
    ).value()
    assert title == "Corrected title"


@pytest.mark.slow  # two CLI runs, the first one of thousands of 5-row transactions
def test_ctrl_c_during_populate_then_rerun(
    engine_kind: str, store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    """A real interruption: SIGINT to `graphkit populate` mid-load, then the same command again.
    On FalkorDB the CLI runs on its own default embedded graph, so the test also sees the server
    it started stop; on Neo4j it runs on the test's server."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.helpers import run_cli

    embedded = engine_kind == "falkordb-embedded"
    graph_env = {} if embedded else store.cli_env  # type: ignore[attr-defined]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, data_dir=tmp_path, store=None if embedded else store)

    env = {**os.environ, "GRAPHKIT_DATA_DIR": str(tmp_path), **graph_env}
    if embedded:
        env.pop("GRAPHKIT_GRAPH", None)
    command = [
        sys.executable,
        "-m",
        "graphkit.cli",
        "populate",
        "datathon",
        str(shared_data / "datathon"),
        # Small batches make the load last long enough (thousands of transactions) that the
        # interrupt lands inside it even on a loaded machine, where a poll can take a second.
        "--batch-size",
        "5",
        "--no-progress",
    ]
    first = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Interrupt once the first batches are in.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if _nodes_written(tmp_path / "graph", None if embedded else store) > 0:
            break
        time.sleep(0.05)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 130, err
    assert "aborted" in err and "Traceback" not in err
    if embedded:
        assert cli("server", "status").stdout.startswith("stopped:")

    partial = json.loads(cli("stats", "--json").stdout)
    assert sum(partial["labels"].values()) > 0  # some batches were written...

    rerun = cli("populate", "datathon", str(shared_data / "datathon"), "--no-progress", "--json")
    assert rerun.returncode == 0, rerun.stderr
    final = json.loads(cli("stats", "--json").stdout)
    assert final["labels"]["Artwork"] == 10517
    assert final["relationships"]["CREATED_BY"] == 10517
    ids = cli("cypher", "MATCH (w:Artwork) RETURN count(DISTINCT w.id) AS n", "--json")
    assert json.loads(ids.stdout) == {"n": 10517}

    def total(stats: dict) -> int:
        return sum(stats["labels"].values()) + sum(stats["relationships"].values())

    assert total(partial) < total(final)  # ...but not all, and the rerun added the rest


def _nodes_written(embedded_dir: Path, store: GraphStore | None) -> int:
    """Nodes in the graph being loaded: STORE's, or the default embedded graph in the directory
    (watched through the same server, which the CLI started)."""
    if store is not None:
        return int(store.cypher("MATCH (n) RETURN count(n) AS n").value("n", 0))
    server = EmbeddedServer(embedded_dir)
    if not server.is_running():
        return 0
    watcher = FalkorEngine(graph_name="art", where="watcher", unix_socket=server.socket_path)
    try:
        return int(watcher.run("MATCH (n) RETURN count(n) AS n").value("n", 0))
    finally:
        watcher.close()
