"""tests/query_cases.py's cases for the identity queries (issue 19): candidate edges, the
curator's decisions, and the moves a merge makes."""

from __future__ import annotations

from graphkit.engines.base import Result
from graphkit.store import GraphStore
from tests.helpers import count

PAIR = {"one": "qtest:artist:one", "other": "qtest:artist:other"}


def _two_artists(store: GraphStore) -> None:
    store.cypher(
        "MERGE (a:Artist {id: $one}) SET a.name = 'Q One', a.source_ids = ['q:1'] "
        "MERGE (b:Artist {id: $other}) SET b.name = 'Q Other', b.source_ids = ['q:2']",
        PAIR,
        write=True,
    )


def _candidate(store: GraphStore) -> None:
    _two_artists(store)
    store.cypher(
        "MATCH (a:Artist {id: $one}), (b:Artist {id: $other}) "
        "MERGE (a)-[p:POSSIBLY_SAME]->(b) SET p.score = 0.7, p.evidence = ['same name']",
        PAIR,
        write=True,
    )


def _decision(store: GraphStore) -> None:
    store.cypher(
        "MERGE (d:IdentityDecision {id: 'qtest:decision'}) SET d.verdict = 'different', "
        "d.one_source_ids = ['q:1'], d.other_source_ids = ['q:2'], d.at = '2026-01-01'",
        write=True,
    )


def _rel_from_gone(store: GraphStore) -> None:
    """A relationship of the placeholder type REL_TYPE at each end of the node to move."""
    store.cypher(
        "MERGE (g:Artist {id: 'qtest:artist:gone'}) MERGE (k:Artist {id: 'qtest:artist:keep'}) "
        "MERGE (m:Movement {id: 'qtest:movement'}) MERGE (g)-[:REL_TYPE {x: 1}]->(m) "
        "MERGE (m)-[:REL_TYPE {x: 2}]->(g)",
        write=True,
    )


def _moved(direction: str) -> object:
    def check(result: Result, store: GraphStore) -> None:
        assert result.value("moved") == 1
        pattern = (
            "(:Artist {id: 'qtest:artist:keep'})-[:REL_TYPE]->(:Movement)"
            if direction == "out"
            else "(:Movement)-[:REL_TYPE]->(:Artist {id: 'qtest:artist:keep'})"
        )
        assert count(store, pattern) == 1

    return check


def _candidate_with_works(store: GraphStore) -> None:
    """The candidate pair; the first has two works, one of them with an image."""
    _candidate(store)
    store.cypher(
        "MATCH (a:Artist {id: $one}) "
        "MERGE (w:Artwork {id: 'qtest:work:imaged'}) "
        "SET w.title = 'Seen', w.image_path = '/x.jpg', w.image_sha256 = $sha "
        "MERGE (v:Artwork {id: 'qtest:work:blind'}) SET v.title = 'Unseen' "
        "MERGE (w)-[:CREATED_BY]->(a) MERGE (v)-[:CREATED_BY]->(a)",
        {**PAIR, "sha": "0" * 64},  # the graph's other image queries read it too
        write=True,
    )


def _queue(result: Result, _store: GraphStore) -> None:
    row = next(r for r in result.rows if r["one"] == PAIR["one"])
    assert row["other"] == PAIR["other"] and row["score"] == 0.7
    assert row["one_works"] == 2 and row["other_works"] == 0
    assert row["one_shown"] == [
        {"id": "qtest:work:imaged", "title": "Seen", "image_path": "/x.jpg"}
    ]
    assert row["other_shown"] == []


def _absorbed(result: Result, store: GraphStore) -> None:
    assert result.value("id") == PAIR["one"]
    assert count(store, "(a:Artist {id: $id})", {"id": PAIR["other"]}) == 0
    ids = store.cypher("MATCH (a:Artist {id: $id}) RETURN a.source_ids AS s", {"id": PAIR["one"]})
    assert ids.value("s") == ["q:1", "q:2"]


def build_cases() -> dict:
    from tests.query_cases import Case, rows_with

    return {
        "identity/decisions": Case(before=_decision, check=rows_with("id", "verdict")),
        "identity/queue": Case(
            params={"limit": 500, "shown": 3}, before=_candidate_with_works, check=_queue
        ),
        "identity/pair": Case(
            params={"ids": list(PAIR.values())},
            before=_two_artists,
            check=rows_with("id", at_least=2),
        ),
        "identity/relationship_types": Case(
            params={"id": "qtest:artist:gone"},
            before=_rel_from_gone,
            check=rows_with("type", at_least=2),
        ),
        "identity/move_out": Case(
            params={"gone": "qtest:artist:gone", "keep": "qtest:artist:keep", "only_source": None},
            before=_rel_from_gone,
            check=_moved("out"),
        ),
        "identity/move_in": Case(
            params={"gone": "qtest:artist:gone", "keep": "qtest:artist:keep", "only_source": None},
            before=_rel_from_gone,
            check=_moved("in"),
        ),
        "identity/separate": Case(params=PAIR, before=_candidate, check=_value_is("removed", 1)),
        "identity/absorb": Case(
            params={
                "keep": PAIR["one"],
                "gone": PAIR["other"],
                "props": {"source_ids": ["q:1", "q:2"]},
            },
            before=_two_artists,
            check=_absorbed,
        ),
        "identity/save_decision": Case(
            params={"decision": {"id": "qtest:d2", "verdict": "same", "who": "q"}},
            check=_value_is("id", "qtest:d2"),
        ),
        "datasets/possibly_same_pairs": Case(before=_candidate, check=rows_with("one", "other")),
        "identity/split_off": Case(
            params={
                "id": PAIR["one"],
                "new": {"id": "qtest:artist:split", "source_ids": ["q:9"]},
                "old_props": {"source_ids": ["q:1"]},
            },
            before=_two_artists,
            check=_value_is("id", "qtest:artist:split"),
        ),
        "load/rel_possibly_same": Case(
            params={
                "rows": [
                    {"start": PAIR["one"], "end": PAIR["other"], "score": 0.6, "evidence": ["e"]}
                ],
                "source": "qtest",
            },
            before=_two_artists,
            check=_value_is("written", 1),
        ),
    }


def _value_is(column: str, expected: object) -> object:
    def check(result: Result, _store: GraphStore) -> None:
        assert result.value(column) == expected, result.rows

    return check
