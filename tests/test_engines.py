"""How each engine behaves at its edges: values, parameters, errors, databases. Tests named for
one engine use that engine only (`neo4j_store`, `falkor_store`); the rest run on both."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from graphkit.engines.neo4j_engine import Neo4jEngine
from graphkit.errors import ConfigError, GraphUnavailable, QueryError
from graphkit.neo4j_local import LocalNeo4j
from graphkit.store import GraphStore
from tests.graphs import Neo4jGraphs
from tests.helpers import count, run_cli


def test_nodes_relationships_and_paths_come_back_as_plain_values(store: GraphStore) -> None:
    store.cypher(
        "CREATE (:Artist {id: 'a', name: 'A'})-[:APPRENTICE_OF {since: 1}]->"
        "(:Artist {id: 'b', name: 'B'})",
        write=True,
    )
    row = store.cypher(
        "MATCH p = (a:Artist {id: 'a'})-[r:APPRENTICE_OF]->(b:Artist) RETURN a, r, p"
    ).rows[0]
    assert row["a"] == {"_labels": ["Artist"], "id": "a", "name": "A"}
    assert row["r"] == {"_type": "APPRENTICE_OF", "since": 1}
    assert [n["id"] for n in row["p"]["nodes"]] == ["a", "b"]
    assert [r["_type"] for r in row["p"]["relationships"]] == ["APPRENTICE_OF"]


def test_a_write_without_write_mode_is_refused_with_the_hint(store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"graphkit cypher --write"):
        store.cypher("CREATE (:Scratch {n: 1})")
    assert count(store, "(s:Scratch)") == 0


def test_populate_refuses_a_batch_size_below_one(store: GraphStore, tmp_path: Path) -> None:
    for size in ("0", "-1"):
        done = run_cli(
            "populate", "aic", str(tmp_path), "--batch-size", size, data_dir=tmp_path, store=store
        )
        assert done.returncode == 2, done.stderr
        assert "--batch-size" in done.stderr and "Traceback" not in done.stderr
    assert count(store, "(n)") == 0


# --- Neo4j -----------------------------------------------------------------------------------


def test_neo4j_temporal_and_spatial_values_are_plain(neo4j_store: GraphStore) -> None:
    row = neo4j_store.cypher(
        "RETURN datetime('2024-01-02T03:04:05Z') AS dt, date('2024-01-02') AS d, "
        "duration('P1DT2H') AS du, point({x: 1.5, y: 2.0}) AS p, "
        "point({longitude: 4.35, latitude: 50.85}) AS geo"
    ).rows[0]
    assert row["dt"].startswith("2024-01-02T03:04:05") and row["d"] == "2024-01-02"
    assert row["du"] == "P1DT2H"
    assert row["p"] == {"srid": 7203, "x": 1.5, "y": 2.0}
    assert row["geo"] == {"srid": 4326, "x": 4.35, "y": 50.85}


def test_neo4j_refuses_a_parameter_the_driver_cannot_send(neo4j_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="cannot take a parameter"):
        neo4j_store.cypher("RETURN $x AS x", {"x": object()})


def test_neo4j_carries_nan_and_infinity(neo4j_store: GraphStore) -> None:
    row = neo4j_store.cypher("RETURN $x AS x, $y AS y", {"x": math.nan, "y": -math.inf}).rows[0]
    assert math.isnan(row["x"]) and row["y"] == -math.inf


def test_neo4j_call_in_transactions_runs_as_a_write(neo4j_store: GraphStore) -> None:
    neo4j_store.cypher("UNWIND range(1, 25) AS i CREATE (:Scratch {i: i})", write=True)
    neo4j_store.cypher(
        "MATCH (s:Scratch) CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 10 ROWS", write=True
    )
    assert count(neo4j_store, "(s:Scratch)") == 0


@pytest.mark.parametrize(
    "uri",
    ["bolt://127.0.0.1:7687?region=eu", "neo4j://[::1", "bolt://127.0.0.1:notaport"],
)
def test_neo4j_uri_the_driver_cannot_parse_is_a_config_error(uri: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a usable Neo4j URI"):
        Neo4jEngine(uri, user="neo4j", password="x", timeout_s=2)
    done = run_cli("stats", data_dir=tmp_path, graph=uri)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr


def test_neo4j_database_that_does_not_exist_is_named_at_connect(
    neo4j_pool: Neo4jGraphs, tmp_path: Path
) -> None:
    uri = neo4j_pool.uris[0]
    with pytest.raises(GraphUnavailable, match="no database 'nope'"):
        Neo4jEngine(uri, user="neo4j", password=neo4j_pool.password, database="nope")
    env = {"NEO4J_PASSWORD": neo4j_pool.password, "GRAPHKIT_GRAPH_NAME": "art"}
    done = run_cli("stats", data_dir=tmp_path, graph=uri, env=env)
    assert done.returncode == 0, done.stderr  # a FalkorDB graph name does not pick a database
    missing = run_cli("stats", data_dir=tmp_path, graph=uri, env={**env, "NEO4J_DATABASE": "nope"})
    assert missing.returncode == 3 and "no database 'nope'" in missing.stderr


def test_neo4j_wrong_password_is_a_clear_error(neo4j_pool: Neo4jGraphs, tmp_path: Path) -> None:
    with pytest.raises(GraphUnavailable, match="refused the credentials"):
        Neo4jEngine(neo4j_pool.uris[0], user="neo4j", password="certainly-wrong")


@pytest.mark.neo4j
def test_neo4j_server_that_dies_and_returns(tmp_path: Path) -> None:
    """A dead database gives a clear error; once it is back, new connections work again."""
    local = LocalNeo4j(tmp_path / "n4j")
    server = local.start()
    try:
        engine = Neo4jEngine(server.uri, user="neo4j", password=server.password, timeout_s=3)
        engine.run("CREATE (:Scratch {n: 1})", write=True)
        local.stop()
        with pytest.raises(GraphUnavailable, match="Neo4j at"):
            engine.run("MATCH (s:Scratch) RETURN count(s) AS n")
        engine.close()
        server = local.start(port=int(server.uri.rsplit(":", 1)[1]))
        engine = Neo4jEngine(server.uri, user="neo4j", password=server.password, timeout_s=3)
        assert engine.run("MATCH (s:Scratch) RETURN count(s) AS n").value() == 1  # kept
        engine.close()
    finally:
        local.stop()


# --- FalkorDB --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, [1.0, -math.inf], {"k": math.nan}])
def test_falkordb_refuses_nan_and_infinity_by_name(falkor_store: GraphStore, value: object) -> None:
    with pytest.raises(QueryError, match=r"parameter \$x: .*no NaN or infinity"):
        falkor_store.cypher("RETURN $x AS x", {"x": value})


def test_falkordb_refuses_a_backtick_in_a_map_key(falkor_store: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"parameter \$m: .*backtick"):
        falkor_store.cypher("RETURN $m AS m", {"m": {"a`b": 1}})


def test_an_error_raised_while_ctrl_c_unwinds_is_the_interrupt() -> None:
    """Ctrl-C inside the Neo4j driver's send leaves a half-written stream; the server's
    complaint when the session closes must not turn exit 130 into a query error."""
    from graphkit.engines.neo4j_engine import _interrupted

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ValueError("Expected STRING but got STRUCT") from None
    except ValueError as exc:
        assert _interrupted(exc)
    assert not _interrupted(ValueError("a plain error"))
