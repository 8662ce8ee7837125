"""Analytics on small hand-made graphs whose answers are known by hand (real embedded engine)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graphkit.analytics.communities import louvain
from graphkit.analytics.export import export
from graphkit.analytics.influence import ranked
from graphkit.analytics.pipeline import analyse, run_analytics
from graphkit.analytics.projection import (
    ProjectionOptions,
    project_artists,
    project_movements,
    project_places,
)
from graphkit.analytics.report import draw_movements, summary, text
from graphkit.analytics.writeback import write_rows
from graphkit.errors import AnalyticsError
from graphkit.store import GraphStore

# Influence. Group A: students s1, s2, s3 are APPRENTICE_OF teacher t, and their artworks
# recommend each other in a ring (s1 -> s2 -> s3 -> s1). Group B: u1, u2, u3 recommend each other
# in a ring, u1 twice towards u2 (two artworks). One bridge: u3's artwork recommends t's.
# s1 recommending its own other artwork is no link between artists.
ARTISTS = ["t", "s1", "s2", "s3", "u1", "u2", "u3"]
ARTWORKS = {
    "wt": "t",
    "ws1": "s1",
    "ws1b": "s1",
    "ws2": "s2",
    "ws3": "s3",
    "wu1": "u1",
    "wu1b": "u1",
    "wu2": "u2",
    "wu3": "u3",
}
APPRENTICESHIPS = [("s1", "t"), ("s2", "t"), ("s3", "t")]
RECOMMENDS = [
    ("ws1", "ws2"),
    ("ws2", "ws3"),
    ("ws3", "ws1"),
    ("ws1", "ws1b"),
    ("wu1", "wu2"),
    ("wu1b", "wu2"),
    ("wu2", "wu3"),
    ("wu3", "wu1"),
    ("wu3", "wt"),
]
# Movements: x and z belong to M1 and M2, y to M2 and M3; d is a member of M3 and M4 only by
# derivation from artwork styles. Stated only, M1 - M2 - M3 is a path and M4 stands alone.
MEMBERSHIPS = [
    ("x", "M1", False),
    ("x", "M2", False),
    ("z", "M1", False),
    ("z", "M2", False),
    ("y", "M2", False),
    ("y", "M3", False),
    ("d", "M3", True),
    ("d", "M4", True),
]
# Places: X1 (city) in R1 (region) in C1 (country); X2 (city) in C2; C3 has no artists.
PLACES = [("X1", "city"), ("R1", "region"), ("C1", "country"), ("X2", "city"), ("C2", "country")]
PLACES += [("C3", "country")]
LOCATED_IN = [("X1", "R1"), ("R1", "C1"), ("X2", "C2")]
# p6 has two birthplaces in C1 (counts once there); p7 one in each country (counts in both).
BORN_IN = [
    ("p1", "X1"),
    ("p2", "X1"),
    ("p3", "R1"),
    ("p4", "C1"),
    ("p5", "X2"),
    ("p6", "X1"),
    ("p6", "R1"),
    ("p7", "X1"),
    ("p7", "X2"),
]


def build(store: GraphStore) -> None:
    people = sorted({*ARTISTS, *(m[0] for m in MEMBERSHIPS), *(b[0] for b in BORN_IN)})
    store.cypher(
        "UNWIND $ids AS id CREATE (:Artist {id: id, name: 'Artist ' + id})",
        {"ids": people},
        write=True,
    )
    store.cypher(
        "UNWIND $rows AS r MATCH (a:Artist {id: r.artist}) "
        "CREATE (:Artwork {id: r.id})-[:CREATED_BY {role: 'artist'}]->(a)",
        {"rows": [{"id": w, "artist": a} for w, a in ARTWORKS.items()]},
        write=True,
    )
    pairs = [{"a": a, "b": b} for a, b in APPRENTICESHIPS]
    store.cypher(
        "UNWIND $rows AS r MATCH (a:Artist {id: r.a}), (b:Artist {id: r.b}) "
        "CREATE (a)-[:APPRENTICE_OF]->(b)",
        {"rows": pairs},
        write=True,
    )
    store.cypher(
        "UNWIND $rows AS r MATCH (a:Artwork {id: r.a}), (b:Artwork {id: r.b}) "
        "CREATE (a)-[:RECOMMENDS]->(b)",
        {"rows": [{"a": a, "b": b} for a, b in RECOMMENDS]},
        write=True,
    )
    store.cypher(
        "UNWIND $ids AS id CREATE (:Movement {id: id, name: 'Movement ' + id})",
        {"ids": ["M1", "M2", "M3", "M4"]},
        write=True,
    )
    store.cypher(
        "UNWIND $rows AS r MATCH (a:Artist {id: r.a}), (m:Movement {id: r.m}) "
        "CREATE (a)-[:MEMBER_OF {derived: r.derived}]->(m)",
        {"rows": [{"a": a, "m": m, "derived": d} for a, m, d in MEMBERSHIPS]},
        write=True,
    )
    store.cypher(
        "UNWIND $rows AS r CREATE (:Place {id: r.id, name: 'Place ' + r.id, type: r.type})",
        {"rows": [{"id": p, "type": t} for p, t in PLACES]},
        write=True,
    )
    for rel, rows in (("LOCATED_IN", LOCATED_IN), ("BORN_IN", BORN_IN)):
        start = "Place" if rel == "LOCATED_IN" else "Artist"
        store.cypher(
            f"UNWIND $rows AS r MATCH (a:{start} {{id: r.a}}), (p:Place {{id: r.b}}) "
            f"CREATE (a)-[:{rel}]->(p)",
            {"rows": [{"a": a, "b": b} for a, b in rows]},
            write=True,
        )


@pytest.fixture
def hand(store: GraphStore) -> GraphStore:
    build(store)
    return store


def props(store: GraphStore, label: str, key: str) -> dict[str, object]:
    rows = store.cypher(f"MATCH (n:{label}) RETURN n.id AS id, n.{key} AS v").rows
    return {r["id"]: r["v"] for r in rows}


# --- projection -------------------------------------------------------------------------------


def test_artist_projection_aggregates_recommends_to_artists(hand: GraphStore) -> None:
    g = project_artists(hand)
    assert sorted(g.nodes) == sorted(ARTISTS)
    # two artwork pairs link u1 to u2
    assert g.edges["u1", "u2"] == {"weight": 2, "apprentice": 0, "recommends": 2}
    assert g.edges["s1", "t"] == {"weight": 1, "apprentice": 1, "recommends": 0}
    assert g.edges["u3", "t"]["recommends"] == 1
    assert not g.has_edge("s1", "s1")  # s1's own artworks recommending each other
    assert not g.has_edge("t", "s1")  # direction: student -> teacher
    assert g.number_of_edges() == 3 + 3 + 3 + 1
    assert g.nodes["t"]["name"] == "Artist t"


def test_apprentice_weight_scales_only_apprenticeships(hand: GraphStore) -> None:
    g = project_artists(hand, apprentice_weight=3.0)
    assert g.edges["s1", "t"]["weight"] == 3.0
    assert g.edges["u1", "u2"]["weight"] == 2


def test_movement_projection_counts_shared_artists(hand: GraphStore) -> None:
    g = project_movements(hand, include_derived=True)
    assert {(a, b): w for a, b, w in g.edges(data="weight")} == {
        ("M1", "M2"): 2,
        ("M2", "M3"): 1,
        ("M3", "M4"): 1,
    }
    stated = project_movements(hand, include_derived=False)
    assert sorted(stated.edges) == [("M1", "M2"), ("M2", "M3")]
    assert "M4" in stated and stated.degree("M4") == 0
    assert stated.nodes["M3"]["artists"] == 1 and g.nodes["M3"]["artists"] == 2


# --- algorithms -------------------------------------------------------------------------------


def test_pagerank_puts_the_teacher_first_and_symmetric_students_level(hand: GraphStore) -> None:
    result = analyse(hand)
    order = [node for node, _ in ranked(result.pagerank)]
    assert order[0] == "t"  # four artists point at t, t points at no one
    students = [result.pagerank[s] for s in ("s1", "s2", "s3")]
    assert max(students) - min(students) < 1e-6  # the ring makes them interchangeable
    assert sum(result.pagerank.values()) == pytest.approx(1.0)


def test_louvain_finds_the_two_groups(hand: GraphStore) -> None:
    community = analyse(hand).community
    a = {community[n] for n in ("t", "s1", "s2", "s3")}
    b = {community[n] for n in ("u1", "u2", "u3")}
    assert a == {0}  # the larger group gets number 0
    assert b == {1}


def test_louvain_is_reproducible_with_a_seed(hand: GraphStore) -> None:
    g = project_artists(hand)
    assert louvain(g, seed=7) == louvain(g, seed=7)


def test_movement_betweenness_and_weighted_degree(hand: GraphStore) -> None:
    with_derived = analyse(hand).movements
    # path M1 - M2 - M3 - M4: M2 and M3 each lie on 2 of the 3 pairs of other movements
    assert with_derived["M2"].betweenness == pytest.approx(2 / 3)
    assert with_derived["M3"].betweenness == pytest.approx(2 / 3)
    assert with_derived["M1"].betweenness == 0.0
    assert {m: s.weighted_degree for m, s in with_derived.items()} == {
        "M1": 2,
        "M2": 3,
        "M3": 2,
        "M4": 1,
    }
    stated = analyse(hand, ProjectionOptions(include_derived=False)).movements
    # M2 bridges M1 and M3 (one pair of the three among the others; M4 is alone)
    assert stated["M2"].betweenness == pytest.approx(1 / 3)
    assert stated["M3"].betweenness == 0.0
    assert stated["M4"].weighted_degree == 0


def test_artists_per_country_through_the_hierarchy(hand: GraphStore) -> None:
    counts = {c.id: c.artists for c in analyse(hand).countries}
    # C1: p1, p2, p6, p7 (via X1 -> R1), p3 (via R1), p4 (born in the country itself)
    assert counts == {"C1": 6, "C2": 2}
    places = project_places(hand)
    assert places.nodes["C3"]["kind"] == "place"  # present, but no one was born there


def test_nothing_to_analyse_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(AnalyticsError, match="populate"):
        analyse(store)


# --- write-back -------------------------------------------------------------------------------


def test_results_are_written_back_in_batches(hand: GraphStore) -> None:
    # a score left by an earlier run on an artist who is no longer linked must go
    hand.cypher("MATCH (a:Artist {id: 'x'}) SET a.pagerank = 0.5, a.community = 3", write=True)
    result = run_analytics(hand, batch_size=2)
    assert result.written == {"artists": 7, "movements": 4, "countries": 2}
    pageranks = props(hand, "Artist", "pagerank")
    assert {k for k, v in pageranks.items() if v is not None} == set(ARTISTS)
    assert pageranks["t"] == pytest.approx(result.pagerank["t"])
    assert pageranks["x"] is None
    communities = props(hand, "Artist", "community")
    assert communities["s2"] == communities["t"] != communities["u1"]
    assert props(hand, "Movement", "betweenness")["M2"] == pytest.approx(2 / 3)
    assert props(hand, "Movement", "weighted_degree")["M2"] == 3
    counts = props(hand, "Place", "artist_count")
    assert (counts["C1"], counts["C2"], counts["C3"], counts["X1"]) == (6, 2, None, None)


def test_write_rows_counts_every_batch(hand: GraphStore) -> None:
    rows = [{"id": a, "pagerank": 0.1, "community": 0} for a in ARTISTS] + [
        {"id": "nobody", "pagerank": 0.1, "community": 0}
    ]
    sizes: list[int] = []
    written = write_rows(hand, "analytics/write_artists", rows, batch_size=3, on_batch=sizes.append)
    assert sizes == [3, 3, 2]
    assert written == 7  # the unknown id matched nothing


def test_no_write_leaves_the_graph_alone(hand: GraphStore) -> None:
    run_analytics(hand, write=False)
    assert all(v is None for v in props(hand, "Artist", "pagerank").values())


# --- report and export -----------------------------------------------------------------------


def test_report_and_png(hand: GraphStore, tmp_path: Path) -> None:
    result = run_analytics(hand)
    data = summary(result, top=3)
    assert data["top_artists"][0]["id"] == "t"
    assert data["communities"]["count"] == 2
    assert data["movements_by_betweenness"][0]["id"] in {"M2", "M3"}
    assert data["countries"][0] == {"id": "C1", "name": "Place C1", "type": "country", "artists": 6}
    assert "Artist t" in text(data)
    png = draw_movements(result, tmp_path / "m.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export_round_trips(hand: GraphStore, tmp_path: Path, fmt: str) -> None:
    result = analyse(hand)
    paths = export(result, tmp_path, fmt)
    assert sorted(p.name for p in paths) == sorted(
        f"{n}.{fmt}" for n in ("artists", "movements", "places")
    )
    artists_file = tmp_path / f"artists.{fmt}"
    if fmt == "graphml":
        g = nx.read_graphml(artists_file)
    else:
        g = nx.node_link_graph(json.loads(artists_file.read_text()), edges="edges")
    assert g.number_of_edges() == result.projection.artists.number_of_edges()
    assert g.nodes["t"]["pagerank"] == pytest.approx(result.pagerank["t"])
    assert g.edges["u1", "u2"]["weight"] == 2


def test_export_refuses_an_unknown_format(hand: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="format"):
        export(analyse(hand), tmp_path, "csv")
