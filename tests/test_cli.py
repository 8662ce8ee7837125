"""The `graphkit` command as a user runs it: a subprocess, on each engine."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphkit.store import GraphStore
from tests.graphs import Graphs
from tests.helpers import run_cli


@dataclass
class CliGraph:
    """A test graph and a data directory, for `graphkit` subprocesses."""

    store: GraphStore
    data_dir: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, data_dir=self.data_dir, store=self.store)


@pytest.fixture(scope="module")
def aic_graph(
    graphs: Graphs, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CliGraph]:
    graph = CliGraph(graphs.acquire(), tmp_path_factory.mktemp("cli-data"))
    result = graph.run("populate", "aic", str(shared_data / "aic_paintings"), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "aic: loaded in" in result.stdout
    assert "Artwork" in result.stdout and "created" in result.stdout
    yield graph
    graphs.release(graph.store)


def test_stats_json_counts_labels_and_relationships(aic_graph: CliGraph) -> None:
    result = aic_graph.run("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["labels"]["Artwork"] == 171
    assert stats["relationships"]["CREATED_BY"] == 171


def test_cypher_with_parameters_as_json_lines(aic_graph: CliGraph) -> None:
    result = aic_graph.run(
        "cypher",
        "MATCH (w:Artwork) WHERE w.year_start >= $from "
        "RETURN w.id AS id, w.year_start AS year ORDER BY year, id LIMIT $n",
        "--param",
        "from=1880",
        "--param",
        "n=3",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert all(row["year"] >= 1880 for row in rows)
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def test_cypher_string_parameter_with_quotes_is_not_injected(aic_graph: CliGraph) -> None:
    hostile = "x' OR 1=1 //"
    result = aic_graph.run(
        "cypher",
        "MATCH (w:Artwork {title: $t}) RETURN count(w) AS n",
        "--param",
        f"t={hostile}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"n": 0}


def test_cypher_is_read_only_without_write_flag(aic_graph: CliGraph) -> None:
    refused = aic_graph.run("cypher", "CREATE (:Scratch {n: 1})")
    assert refused.returncode == 4
    assert "--write" in refused.stderr
    allowed = aic_graph.run(
        "cypher", "CREATE (s:Scratch {n: 1}) RETURN s.n AS n", "--write", "--json"
    )
    assert allowed.returncode == 0, allowed.stderr
    cleanup = aic_graph.run("cypher", "MATCH (s:Scratch) DELETE s", "--write")
    assert cleanup.returncode == 0


def test_bad_param_syntax_is_a_usage_error(aic_graph: CliGraph) -> None:
    result = aic_graph.run("cypher", "RETURN 1", "--param", "novalue")
    assert result.returncode == 2
    assert "name=value" in result.stderr


def test_schema_apply_is_idempotent(aic_graph: CliGraph) -> None:
    result = aic_graph.run("schema", "apply")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created 0,")


def test_populate_again_reports_nothing_created(aic_graph: CliGraph, shared_data: Path) -> None:
    result = aic_graph.run(
        "populate", "aic", str(shared_data / "aic_paintings"), "--no-progress", "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[0])
    assert summary["tallies"]["Artwork"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 171,
        "rejected": 0,
    }
