"""The fast parameter encoder agrees with the official client and round-trips through FalkorDB."""

from __future__ import annotations

from falkordb.graph import Graph

from graphkit.engines.falkor_params import params_header
from graphkit.store import GraphStore

AWKWARD = [
    "plain",
    "",
    "O'Keeffe",
    'say "hi"',
    "back\\slash",
    "new\nline\ttab",
    "Cézanne 日本 🎨",
    "ends with backslash \\",
    "`backticked`",
    "x' OR 1=1 //",
]
VALUES = {
    "s": AWKWARD,
    "n": [0, -3, 2**53, 1.5, -0.25, 1e-7, True, False, None],
    "rows": [
        {"id": "a", "props": {"title": t, "year": 1900, "tags": ["x", None]}} for t in AWKWARD
    ],
    "empty": {"list": [], "map": {}},
}


def test_header_matches_the_official_client() -> None:
    official = Graph.__new__(Graph)._build_params_header(VALUES)
    assert params_header(VALUES) == official


def test_awkward_values_round_trip_through_the_engine(store: GraphStore) -> None:
    result = store.cypher("RETURN $s AS s, $n AS n, $rows AS rows, $empty AS empty", VALUES)
    assert result.rows == [VALUES]
