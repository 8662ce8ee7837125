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


def _one_of_each_category() -> dict[str, str]:
    """The first code point of every Unicode general category (surrogates aside, which no
    UTF-8 connection can carry), C0 and C1 controls and the characters beyond the BMP."""
    import unicodedata

    found: dict[str, str] = {}
    for code in range(1, 0x110000):
        category = unicodedata.category(chr(code))
        if category != "Cs":
            found.setdefault(category, chr(code))
    found["astral"] = "\U0001f3a8\U00010000\U0010fffd"
    found["C0"] = "".join(chr(c) for c in range(1, 0x20))
    found["C1"] = "".join(chr(c) for c in range(0x7F, 0xA0))
    found["specials"] = "\ufeff\ufffd\uffff\u202e\u200d"
    return found


def test_every_code_point_class_round_trips(store: GraphStore) -> None:
    texts = {name: f'a{text}"\\{text}b' for name, text in _one_of_each_category().items()}
    assert len(texts) > 30
    result = store.cypher("RETURN $texts AS texts", {"texts": texts})
    assert result.rows == [{"texts": texts}]


def test_nul_and_lone_surrogates_are_refused_naming_the_parameter(store: GraphStore) -> None:
    import pytest

    from graphkit.errors import QueryError

    for bad in ("\ud800", "x\udfffy", "a\ud83cb"):
        with pytest.raises(QueryError):
            store.cypher("RETURN $title AS t", {"title": bad})
    nul = {"rows": [{"title": "a\x00b"}]}
    if store.dialect == "falkordb":  # its header cannot carry a NUL: refused, not cut short
        with pytest.raises(QueryError, match=r"\$rows.*NUL"):
            store.cypher("RETURN $rows AS rows", nul)
    else:  # Neo4j's protocol carries any code point
        assert store.cypher("RETURN $rows AS rows", nul).rows == [nul]
