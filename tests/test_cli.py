"""The `graphkit` command as a user runs it: a subprocess on the default embedded graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli


@pytest.fixture(scope="module")
def aic_graph(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-data")
    result = run_cli(
        "populate", "aic", str(shared_data / "aic_paintings"), "--no-progress", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    assert "aic: loaded in" in result.stdout
    assert "Artwork" in result.stdout and "created" in result.stdout
    return data_dir


def test_stats_json_counts_labels_and_relationships(aic_graph: Path) -> None:
    result = run_cli("stats", "--json", data_dir=aic_graph)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["labels"]["Artwork"] == 171
    assert stats["relationships"]["CREATED_BY"] == 171


def test_cypher_with_parameters_as_json_lines(aic_graph: Path) -> None:
    result = run_cli(
        "cypher",
        "MATCH (w:Artwork) WHERE w.year_start >= $from "
        "RETURN w.id AS id, w.year_start AS year ORDER BY year, id LIMIT $n",
        "--param",
        "from=1880",
        "--param",
        "n=3",
        "--json",
        data_dir=aic_graph,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert all(row["year"] >= 1880 for row in rows)
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def test_cypher_string_parameter_with_quotes_is_not_injected(aic_graph: Path) -> None:
    hostile = "x' OR 1=1 //"
    result = run_cli(
        "cypher",
        "MATCH (w:Artwork {title: $t}) RETURN count(w) AS n",
        "--param",
        f"t={hostile}",
        "--json",
        data_dir=aic_graph,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"n": 0}


def test_cypher_is_read_only_without_write_flag(aic_graph: Path) -> None:
    refused = run_cli("cypher", "CREATE (:Scratch {n: 1})", data_dir=aic_graph)
    assert refused.returncode == 4
    assert "--write" in refused.stderr
    allowed = run_cli(
        "cypher",
        "CREATE (s:Scratch {n: 1}) RETURN s.n AS n",
        "--write",
        "--json",
        data_dir=aic_graph,
    )
    assert allowed.returncode == 0, allowed.stderr
    cleanup = run_cli("cypher", "MATCH (s:Scratch) DELETE s", "--write", data_dir=aic_graph)
    assert cleanup.returncode == 0


def test_bad_param_syntax_is_a_usage_error(aic_graph: Path) -> None:
    result = run_cli("cypher", "RETURN 1", "--param", "novalue", data_dir=aic_graph)
    assert result.returncode == 2
    assert "name=value" in result.stderr


def test_schema_apply_is_idempotent(aic_graph: Path) -> None:
    result = run_cli("schema", "apply", data_dir=aic_graph)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created 0,")


def test_populate_again_reports_nothing_created(aic_graph: Path, shared_data: Path) -> None:
    result = run_cli(
        "populate",
        "aic",
        str(shared_data / "aic_paintings"),
        "--no-progress",
        "--json",
        data_dir=aic_graph,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[0])
    assert summary["tallies"]["Artwork"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 171,
        "rejected": 0,
    }


def test_server_is_stopped_when_the_command_ends(aic_graph: Path) -> None:
    result = run_cli("server", "status", data_dir=aic_graph)
    assert result.returncode == 0
    assert result.stdout.startswith("stopped:")
