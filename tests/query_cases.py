"""For every query file, parameters that make it do real work on a real graph, and a check of
what it did (rows written and read back, rows found with the right shape).

The graph is the datathon, WikiArt and generated sources loaded (apprenticeships,
recommendations, places, movements, images, styles, generated tiles). Loader queries
(`load/upsert_*`, `load/rel_*`) are checked generically from graphkit.model; every other
query needs a case here, and tests/test_queries.py fails for a query file without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from graphkit.engines.base import Result
from graphkit.store import GraphStore
from tests.helpers import count

Params = dict[str, Any]


@dataclass(frozen=True)
class Case:
    # Parameters, or a function of the graph that finds them (ids that exist).
    params: Params | Callable[[GraphStore], Params] = field(default_factory=dict)
    # Writes that the query needs first (e.g. the save a read needs).
    before: Callable[[GraphStore], None] | None = None
    check: Callable[[Result, GraphStore], None] = lambda result, store: None


def some_ids(store: GraphStore, label: str, n: int = 3) -> list[str]:
    rows = store.cypher(f"MATCH (x:{label}) RETURN x.id AS id ORDER BY id LIMIT $n", {"n": n})
    return [r["id"] for r in rows.rows]


def value_of(store: GraphStore, label: str, node_id: str, key: str) -> Any:
    return store.cypher(
        f"MATCH (x:{label} {{id: $id}}) RETURN x.{key} AS v", {"id": node_id}
    ).value("v")


def rows_with(*columns: str, at_least: int = 1) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, _store: GraphStore) -> None:
        assert len(result.rows) >= at_least, f"expected at least {at_least} rows"
        for column in columns:
            assert column in result.columns, f"no column {column!r} in {result.columns}"
        assert all(r[columns[0]] is not None for r in result.rows)

    return check


def _written_back(label: str, key: str, expected: Any) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, store: GraphStore) -> None:
        assert result.value() == 1
        node_id = some_ids(store, label, 1)[0]
        assert value_of(store, label, node_id, key) == expected

    return check


def _cleared(label: str, key: str) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, store: GraphStore) -> None:
        assert result.value() >= 1
        found = store.cypher(f"MATCH (x:{label}) WHERE x.{key} IS NOT NULL RETURN count(x) AS n")
        assert found.value() == 0

    return check


def _set_on_first(label: str, key: str, value: Any) -> Callable[[GraphStore], None]:
    def before(store: GraphStore) -> None:
        node_id = some_ids(store, label, 1)[0]
        store.cypher(
            f"MATCH (x:{label} {{id: $id}}) SET x.{key} = $v",
            {"id": node_id, "v": value},
            write=True,
        )

    return before


def _first(label: str, **props: Any) -> Callable[[GraphStore], Params]:
    def params(store: GraphStore) -> Params:
        return {"rows": [{"id": some_ids(store, label, 1)[0], **props}]}

    return params


def _artist_names(result: Result, store: GraphStore) -> None:
    assert [r["id"] for r in result.rows] == some_ids(store, "Artist")
    assert all(r["name"] for r in result.rows)


def _labels_one_movement(result: Result, _store: GraphStore) -> None:
    rows_with("artwork_id", "image_path", "label", "artist_ids", at_least=100)(result, _store)
    assert all(isinstance(r["label"], str) and r["image_path"] for r in result.rows)


DATASET_ROW = {
    "id": "dataset:qtest",
    "name": "qtest",
    "label_via": "artist",
    "query_name": "datasets/label_via_artist",
    "query": "MATCH ...",
    "query_hash": "abc",
    "arguments": "{}",
    "classes": ["Baroque", "Cubism"],
    "counts": [3, 4],
    "counts_json": '{"Baroque": 3, "Cubism": 4}',
    "split_counts_json": "{}",
    "size": 7,
    "manifest_sha256": "def",
    "out_dir": "/tmp/qtest",
    "created_at": 1,
}


def _save_dataset(store: GraphStore) -> None:
    store.write("datasets/save_dataset", rows=[DATASET_ROW])


def _labels_by_kind(result: Result, _store: GraphStore) -> None:
    by_label: dict[str, int] = {}
    for row in result.rows:
        by_label[row["label"]] = by_label.get(row["label"], 0) + 1
        assert row["image_path"], row
    assert by_label.get("ai", 0) > 1000 and by_label.get("human", 0) > 1000, by_label
    tiles = [r for r in result.rows if r["label"] == "ai"]
    assert all(len(r["crop"]) == 4 for r in tiles)


def _dataset_read_back(result: Result, _store: GraphStore) -> None:
    row = result.rows[0]
    assert row["id"] == "dataset:qtest" and row["classes"] == ["Baroque", "Cubism"]
    assert row["counts"] == [3, 4] and row["size"] == 7


def _saved(result: Result, store: GraphStore) -> None:
    assert result.value() == 1
    assert store.cypher("MATCH (d:Dataset {id: 'dataset:qtest'}) RETURN d.size AS s").value() == 7


def _counts_include(key: str, name: str) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, _store: GraphStore) -> None:
        counts = {r[key]: r["count"] for r in result.rows}
        assert counts.get(name, 0) > 100, counts

    return check


def _embed_first_artworks(store: GraphStore) -> None:
    """Three artworks with 4-d embeddings and the vector indexes, as `graphkit embed` leaves
    them (drop the indexes, clear old vectors, write, build)."""
    from ml.embeddings.vector_index import create_vector_indexes, drop_vector_indexes

    drop_vector_indexes(store)
    store.write("embeddings/clear_embeddings")
    vectors = [[1.0, 0.0, 0.0, 0.1], [0.9, 0.1, 0.0, 0.1], [0.0, 1.0, 0.5, 0.0]]
    rows = [
        {"id": node_id, "embedding": vector}
        for node_id, vector in zip(some_ids(store, "Artwork"), vectors, strict=True)
    ]
    store.write("embeddings/set_embeddings", rows=rows, model="qtest")
    create_vector_indexes(store, 4)


def _nearest_first(result: Result, store: GraphStore) -> None:
    ids = some_ids(store, "Artwork")
    assert [r["id"] for r in result.rows] == ids  # itself, its near twin, then the other
    similarities = [r["similarity"] for r in result.rows]
    assert abs(similarities[0] - 1.0) < 1e-3 and similarities[1] > 0.9 > similarities[2]


def _embedding_state(result: Result, store: GraphStore) -> None:
    row = result.rows[0]
    assert row["id"] == some_ids(store, "Artwork", 1)[0]
    assert row["embedded"] is True and row["model"] == "qtest"


def _embeddings_cleared(result: Result, store: GraphStore) -> None:
    assert result.value() >= 1
    left = store.cypher("MATCH (a:Artwork) WHERE a.embedding IS NOT NULL RETURN count(a) AS n")
    assert left.value() == 0


def _embed_two_imaged_artworks(store: GraphStore) -> None:
    store.write("embeddings/clear_embeddings")
    ids = store.cypher(
        "MATCH (a:Artwork) WHERE a.image_path IS NOT NULL RETURN a.id AS id ORDER BY id LIMIT 2"
    ).rows
    rows = [{"id": r["id"], "embedding": [1.0, 0.0, 0.5, 0.1]} for r in ids]
    store.write("embeddings/set_embeddings", rows=rows, model="qtest")


def _missing_embeddings(result: Result, store: GraphStore) -> None:
    missing = {r["label"]: r["missing"] for r in result.rows}
    imaged = store.cypher(
        "MATCH (a:Artwork) WHERE a.image_path IS NOT NULL RETURN count(a) AS n"
    ).value()
    tiles = store.cypher("MATCH (g:GeneratedImage) WHERE g.path IS NOT NULL RETURN count(g)")
    # The two imaged artworks embedded with 'qtest' are the only ones not missing it.
    assert imaged > 2 and missing == {"Artwork": imaged - 2, "GeneratedImage": tiles.value()}


def _imaged_nodes(result: Result, _store: GraphStore) -> None:
    rows_with("id", "label", "path", "image_sha256", "crop", at_least=1000)(result, _store)
    assert {r["label"] for r in result.rows} == {"Artwork", "GeneratedImage"}
    assert all(len(r["image_sha256"]) == 64 for r in result.rows)
    assert all(len(r["crop"]) == 4 for r in result.rows if r["label"] == "GeneratedImage")


def _embedding_stored(result: Result, store: GraphStore) -> None:
    assert result.value() == 1
    node_id = some_ids(store, "Artwork", 1)[0]
    assert value_of(store, "Artwork", node_id, "embedding_model") == "qtest"
    assert [round(v, 3) for v in value_of(store, "Artwork", node_id, "embedding")] == [
        0.1,
        0.2,
        0.3,
        0.4,
    ]


def _create(cypher: str) -> Callable[[GraphStore], None]:
    """A `before` that writes fixed test nodes (ids start with qtest:)."""

    def before(store: GraphStore) -> None:
        store.cypher(cypher, write=True)

    return before


def _column_at_least(column: str, n: int) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, _store: GraphStore) -> None:
        assert result.rows and result.rows[0][column] >= n, result.rows

    return check


def _dates_dropped(result: Result, store: GraphStore) -> None:
    assert [r["artwork"] for r in result.rows] == ["qtest:artwork:early"]
    assert result.rows[0]["start"] == 1700 and result.rows[0]["birth"] == 1800
    assert value_of(store, "Artwork", "qtest:artwork:early", "year_start") is None


def _identity(result: Result, _store: GraphStore) -> None:
    row = result.rows[0]
    assert row["artists_from_one_source"] > 100 and row["countries"] > 10, row
    assert row["artist_source_records"] >= row["artists_from_one_source"]


# --- predictions, the model registry, reviews (issue 9) ---------------------------------

QMOVEMENTS = ["Baroque", "Cubism", "Impressionism", "Rococo"]


def _model_params(task: str, classes: list[str], dataset_id: str | None) -> Params:
    name = f"qtest-{task}"
    props = {
        "task": task,
        "kind": "qtest",
        "sha256": f"{task}-weights",
        "weights": "{}",
        "classes": classes,
        "metrics": '{"test": {}}',
        "config": "{}",
        "config_sha256": "c",
        "dataset_id": dataset_id,
        "dataset_manifest_sha256": "def",
        "trained_at": "2026-01-01T00:00:00+00:00",
        "code_version": "qtest",
        "path": f"/tmp/{name}",
    }
    return {"id": f"model:{name}:0", "model": name, "props": props}


MOVEMENT_MODEL = _model_params("movement", QMOVEMENTS, "dataset:qtest")
DETECTOR_MODEL = _model_params("detector", ["ai", "human"], None)


def _baroque_works(store: GraphStore) -> list[str]:
    """WikiArt Baroque works whose artist is a member of Baroque only (so Cubism disagrees)."""
    rows = store.cypher(
        "MATCH (w:Artwork)-[:IN_STYLE]->(:Movement {name: 'Baroque'}) "
        "MATCH (w)-[:CREATED_BY]->(a:Artist)-[:MEMBER_OF]->(m:Movement) "
        "WITH w, collect(DISTINCT m.name) AS known WHERE known = ['Baroque'] "
        "RETURN w.id AS id ORDER BY id LIMIT 3"
    ).rows
    return [r["id"] for r in rows]


def _tiles(store: GraphStore) -> list[dict[str, Any]]:
    """The four tiles of the first generated grid (the datathon's generated images have no
    file), as images/imaged_nodes lists them."""
    rows = store.cypher(
        "MATCH (g:GeneratedImage) WHERE g.path IS NOT NULL "
        "RETURN g.id AS id, g.image_sha256 AS image_sha256, g.crop AS crop ORDER BY id LIMIT 4"
    ).rows
    return rows


def _prediction(target: str, label: str, score: float, sha: str, crop: Any = None) -> dict:
    return {
        "id": f"prediction:qtest:{target}",
        "target": target,
        "label": label,
        "score": score,
        "margin": 2 * score - 1,
        "probabilities": "{}",
        "image_sha256": sha,
        "crop": crop,
        "movement": label if label in QMOVEMENTS else None,
    }


def _movement_rows(store: GraphStore) -> list[dict[str, Any]]:
    # Margins 0.2, 0.4, 0.6: the first is the most uncertain.
    return [
        _prediction(work, "Cubism", 0.6 + 0.1 * i, f"sha-{i}")
        for i, work in enumerate(_baroque_works(store))
    ]


def _write_movement_predictions(store: GraphStore) -> Params:
    return {"model_id": MOVEMENT_MODEL["id"], "rows": _movement_rows(store)}


# The listing queries' common filters, none asked (graphkit.predictions.curator.Filters).
LISTING: Params = {
    "label": None,
    "score_min": None,
    "score_max": None,
    "unreviewed": False,
    "offset": 0,
}


def _scored(store: GraphStore) -> None:
    """A movement model's predictions about three Baroque works (Cubism: a disagreement) and a
    detector's about one generated grid's tiles (three called ai, one human)."""
    _save_dataset(store)
    for model in (MOVEMENT_MODEL, DETECTOR_MODEL):
        store.write("models/register_model", **model)
    store.write("predictions/write_predictions", **_write_movement_predictions(store))
    tiles = [
        _prediction(t["id"], "ai" if i < 3 else "human", 0.9, t["image_sha256"], t["crop"])
        for i, t in enumerate(_tiles(store))
    ]
    store.write("predictions/write_predictions", model_id=DETECTOR_MODEL["id"], rows=tiles)


def _predictions_written(result: Result, store: GraphStore) -> None:
    assert result.rows[0]["written"] == 3
    again = store.write("predictions/write_predictions", **_write_movement_predictions(store))
    assert again.rows[0]["created"] == 0 and again.rows[0]["written"] == 3
    links = store.cypher(
        "MATCH (:Model {id: $m})<-[:BY]-(p:Prediction {current: true})-[:PREDICTS]->"
        "(:Movement {name: 'Cubism'}) MATCH (p)-[:ABOUT]->(:Artwork) RETURN count(p) AS n",
        {"m": MOVEMENT_MODEL["id"]},
    )
    assert links.value() == 3


def _registered(result: Result, store: GraphStore) -> None:
    assert result.rows[0]["version"] == 1
    again = store.write("models/register_model", **MOVEMENT_MODEL).rows[0]
    assert again["version"] == 1 and again["created"] is False
    assert again["dataset"] == "dataset:qtest"  # TRAINED_ON the saved dataset


def _models_listed(result: Result, store: GraphStore) -> None:
    rows = {r["name"]: r for r in result.rows}
    assert rows["qtest-movement"]["current_predictions"] == 3
    assert rows["qtest-movement"]["dataset"] == "qtest"
    assert rows["qtest-detector"]["classes"] == ["ai", "human"]


def _scored_state(result: Result, store: GraphStore) -> None:
    assert {r["id"] for r in result.rows} == set(_baroque_works(store))
    assert {r["model_id"] for r in result.rows} == {MOVEMENT_MODEL["id"]}


def _current_of_one(result: Result, store: GraphStore) -> None:
    work = _baroque_works(store)[0]
    assert [(r["id"], r["model"], r["label"]) for r in result.rows] == [
        (work, "qtest-movement", "Cubism")
    ]
    assert result.rows[0]["classes"] == QMOVEMENTS


def _filtered_disagreements(result: Result, store: GraphStore) -> None:
    # Scores 0.6, 0.7, 0.8: the range keeps the last two, the smaller margin (0.7) first.
    works = _baroque_works(store)
    assert [(r["id"], r["score"]) for r in result.rows] == [
        (works[1], pytest.approx(0.7)),
        (works[2], pytest.approx(0.8)),
    ]


def _most_uncertain_first(result: Result, store: GraphStore) -> None:
    # From offset 1: the second and third most uncertain of three.
    margins = [r["margin"] for r in result.rows]
    assert margins == sorted(margins) and len(margins) == 2
    assert result.rows[0]["id"] == _baroque_works(store)[1]


def _ai_share(result: Result, store: GraphStore) -> None:
    rows = [r for r in result.rows if r["model"] == "qtest-detector"]
    assert [(r["images"], r["ai"], r["share"]) for r in rows] == [(4, 3, 0.75)]


def _lineage(result: Result, _store: GraphStore) -> None:
    row = result.rows[0]
    assert (row["model"], row["version"], row["dataset"]) == ("qtest-movement", 1, "qtest")
    assert row["query"] == "MATCH ..." and row["same_dataset"] is True


def _review_params(store: GraphStore) -> Params:
    work = _baroque_works(store)[0]
    review = {"id": "review:qtest", "artwork_id": work, "label": "Baroque", "task": "movement",
              "note": "q", "by": "qtest"}  # fmt: skip
    return {"review": review, "predictions": [f"prediction:qtest:{work}"]}


def _review_saved(result: Result, _store: GraphStore) -> None:
    assert [(r["model"], r["predicted"], r["verdict"]) for r in result.rows] == [
        ("qtest-movement", "Cubism", "corrects")
    ]


def _save_review(store: GraphStore) -> None:
    _scored(store)
    store.write("reviews/save_review", **_review_params(store))


def _reviewed_labels(result: Result, store: GraphStore) -> None:
    row = next(r for r in result.rows if r["artwork_id"] == _baroque_works(store)[0])
    assert row["label"] == "Baroque" and row["image_path"] and row["artist_ids"]


def _state_row(name: str = "qtest") -> Params:
    files = {"files_sha256": "f", "files": '{"a": "1"}', "file_count": 1, "removed": 2}
    return {"row": {"id": f"source:{name}", "name": name, "path": "/tmp/qtest", **files}}


def _state_read(result: Result, _store: GraphStore) -> None:
    assert [(r["name"], r["files_sha256"], r["removed"]) for r in result.rows] == [
        ("qtest", "f", 2)
    ]


def _state_saved(result: Result, store: GraphStore) -> None:
    assert result.value() == "qtest"
    assert store.cypher("MATCH (s:Source {id: 'source:qtest'}) RETURN s.synced_at AS t").value() > 0


def _hash_rows(fields: int, kind: str) -> Callable[[Result, GraphStore], None]:
    """Rows "HASH|KIND|ID…" with FIELDS parts: every WikiArt row has its hash (a SOURCE:HASH
    entry), and KIND is among the kinds."""

    def check(result: Result, _store: GraphStore) -> None:
        rows_with("row", at_least=1000)(result, _store)
        parts = [r["row"].split("|") for r in result.rows]
        assert all(len(p) == fields for p in parts)
        assert all(p[0].startswith("wikiart:") and len(p[0]) == len("wikiart:") + 32 for p in parts)
        assert kind in {p[1] for p in parts}

    return check


def _released(match: str) -> Callable[[Result, GraphStore], None]:
    """MATCH binds x, the node or relationship qtest stated with another source."""

    def check(result: Result, store: GraphStore) -> None:
        assert result.value("released") == 1
        row = store.cypher(f"MATCH {match} RETURN x.sources AS s, x.row_hashes AS h").rows[0]
        assert (row["s"], row["h"]) == (["other"], ["other:h"])

    return check


def _orphan_case(create: str, column: str) -> Case:
    """CREATE makes something no source states; the query deletes it (COLUMN counts it)."""

    def check(result: Result, store: GraphStore) -> None:
        assert result.rows[0][column] >= 1
        for pattern in ("(n)", "()-[n]->()"):
            left = store.cypher(f"MATCH {pattern} WHERE size(n.sources) = 0 RETURN count(*) AS n")
            assert left.value() == 0

    return Case(before=_create(create), params={"limit": 10}, check=check)


CASES: dict[str, Case] = {
    "analytics/apprentice_edges": Case(check=rows_with("source", "target", "weight")),
    "analytics/artist_names": Case(
        params=lambda store: {"ids": some_ids(store, "Artist")}, check=_artist_names
    ),
    "analytics/birthplaces": Case(check=rows_with("artist", "place", at_least=50)),
    "analytics/clear_artists": Case(
        before=_set_on_first("Artist", "pagerank", 0.5), check=_cleared("Artist", "pagerank")
    ),
    "analytics/clear_countries": Case(
        before=_set_on_first("Place", "artist_count", 3), check=_cleared("Place", "artist_count")
    ),
    "analytics/clear_movements": Case(
        before=_set_on_first("Movement", "weighted_degree", 1.5),
        check=_cleared("Movement", "weighted_degree"),
    ),
    "analytics/movement_edges": Case(
        params={"include_derived": True}, check=rows_with("source", "target", "weight")
    ),
    "analytics/movement_nodes": Case(
        params={"include_derived": True}, check=rows_with("id", "name", "artists", at_least=20)
    ),
    "analytics/place_edges": Case(check=rows_with("source", "target", at_least=50)),
    "analytics/place_nodes": Case(check=rows_with("id", "name", "type", at_least=50)),
    "analytics/recommends_edges": Case(check=rows_with("source", "target", "weight")),
    "analytics/write_artists": Case(
        params=_first("Artist", pagerank=0.25, community=3),
        check=_written_back("Artist", "pagerank", 0.25),
    ),
    "analytics/write_countries": Case(
        params=_first("Place", artists=12), check=_written_back("Place", "artist_count", 12)
    ),
    "analytics/write_movements": Case(
        params=_first("Movement", weighted_degree=2.5, betweenness=0.1, artists=4),
        check=_written_back("Movement", "weighted_degree", 2.5),
    ),
    "datasets/get_dataset": Case(
        before=_save_dataset, params={"id": "dataset:qtest"}, check=_dataset_read_back
    ),
    "datasets/label_via_artist": Case(
        params={"keep_attributed": False}, check=_labels_one_movement
    ),
    "datasets/label_via_artwork": Case(check=_labels_one_movement),
    "datasets/label_via_source_kind": Case(check=_labels_by_kind),
    "datasets/list_datasets": Case(
        before=_save_dataset,
        check=lambda result, _s: ("qtest" in [r["name"] for r in result.rows]) or _fail(result),
    ),
    "datasets/multi_movement_artists": Case(
        check=rows_with("artist_id", "movements", "artworks", at_least=10)
    ),
    "datasets/save_dataset": Case(params={"rows": [DATASET_ROW]}, check=_saved),
    "embeddings/artwork_embedding": Case(
        before=_embed_first_artworks,
        params=lambda store: {"id": some_ids(store, "Artwork", 1)[0]},
        check=_embedding_state,
    ),
    "embeddings/clear_embeddings": Case(before=_embed_first_artworks, check=_embeddings_cleared),
    "embeddings/set_embeddings": Case(
        before=lambda store: store.write("embeddings/clear_embeddings"),
        params=lambda store: {
            **_first("Artwork", embedding=[0.1, 0.2, 0.3, 0.4])(store),
            "model": "qtest",
        },
        check=_embedding_stored,
    ),
    "embeddings/missing_embeddings": Case(
        before=_embed_two_imaged_artworks, params={"model": "qtest"}, check=_missing_embeddings
    ),
    "embeddings/similar_artworks": Case(
        before=_embed_first_artworks,
        params=lambda store: {"id": some_ids(store, "Artwork", 1)[0], "k": 3},
        check=_nearest_first,
    ),
    "datasets/reviewed_labels": Case(
        before=_save_review, params={"task": "movement"}, check=_reviewed_labels
    ),
    "images/imaged_nodes": Case(check=_imaged_nodes),
    "load/artist_index": Case(check=rows_with("id", "props", "born_in", "movements", at_least=100)),
    "load/drop_dates_outside_lifespan": Case(
        before=_create(
            "CREATE (:Artwork {id: 'qtest:artwork:early', year: 1700, year_start: 1700, "
            "year_end: 1700})-[:CREATED_BY {role: 'artist'}]->"
            "(:Artist {id: 'qtest:artist:life', birth_year: 1800, death_year: 1850})"
        ),
        params={"ids": ["qtest:artist:life"], "posthumous": 20},
        check=_dates_dropped,
    ),
    "load/place_index": Case(check=rows_with("id", "name", "type", at_least=50)),
    "quality/attributed_artist_names": Case(
        before=_create("CREATE (:Artist {id: 'qtest:artist:ws', name: 'Workshop of Qtest'})"),
        params={"phrases": ["workshop of"]},
        check=_column_at_least("artists", 1),
    ),
    "quality/honorific_twins": Case(
        before=_create(
            "CREATE (:Artist {id: 'qtest:artist:sir', name: 'Sir Qtest Person'}), "
            "(:Artist {id: 'qtest:artist:plain', name: 'Qtest Person'})"
        ),
        params={"titles": ["Sir", "Dame"]},
        check=_column_at_least("n", 1),
    ),
    "quality/impossible_dates": Case(
        before=_create(
            "CREATE (:Artwork {id: 'qtest:artwork:inv', year_start: 1828, year_end: 1819})"
        ),
        params={"posthumous": 20},
        check=_column_at_least("inverted", 1),
    ),
    "quality/lone_places": Case(
        before=_create(
            "CREATE (:Place {id: 'qtest:lone', name: 'Qtestville'}), "
            "(:Place {id: 'qtest:placed', name: 'Qtestville'})-[:LOCATED_IN]->"
            "(:Place {id: 'qtest:country', name: 'Qtestland', type: 'country'})"
        ),
        check=_column_at_least("placed_elsewhere", 1),
    ),
    "quality/movement_names": Case(check=rows_with("id", "name", at_least=10)),
    "quality/top_places": Case(check=rows_with("id", "name", "type", at_least=10)),
    "models/list_models": Case(before=_scored, params={"model": None}, check=_models_listed),
    "models/register_model": Case(before=_save_dataset, params=MOVEMENT_MODEL, check=_registered),
    "predictions/ai_share": Case(
        before=_scored, params={"model": None, "min_images": 4, "limit": 10}, check=_ai_share
    ),
    "predictions/current": Case(
        before=_scored,
        params=lambda store: {
            "id": _baroque_works(store)[0],
            "model": None,
            "limit": 10,
            **LISTING,
        },
        check=_current_of_one,
    ),
    # With the listing filters: a label, a score range and the least sure first.
    "predictions/disagreements": Case(
        before=_scored,
        params={
            "model": None,
            "limit": 100,
            "by_margin": True,
            **LISTING,
            "label": "Cubism",
            "score_min": 0.65,
            "score_max": 0.95,
        },
        check=_filtered_disagreements,
    ),
    "predictions/lineage": Case(
        before=_scored,
        params=lambda store: {"ids": [f"prediction:qtest:{_baroque_works(store)[1]}"]},
        check=_lineage,
    ),
    "predictions/scored_state": Case(
        before=_scored, params={"model": "qtest-movement"}, check=_scored_state
    ),
    "predictions/uncertain": Case(
        before=_scored,
        params={"model": "qtest-movement", "limit": 10, **LISTING, "offset": 1},
        check=_most_uncertain_first,
    ),
    "predictions/write_predictions": Case(
        before=lambda store: [store.write("models/register_model", **MOVEMENT_MODEL)],
        params=_write_movement_predictions,
        check=_predictions_written,
    ),
    "reviews/save_review": Case(before=_scored, params=_review_params, check=_review_saved),
    "stats/identity": Case(check=_identity),
    "stats/label_counts": Case(check=_counts_include("label", "Artwork")),
    "stats/relationship_counts": Case(check=_counts_include("type", "CREATED_BY")),
    "sync/delete_orphan_nodes": _orphan_case(
        "CREATE (:Prediction {id: 'qtest:p'})-[:ABOUT]->(:Artwork {id: 'qtest:gone', sources: []})",
        "predictions",
    ),
    "sync/delete_orphan_relationships": _orphan_case(
        "CREATE (:Artwork {id: 'qtest:a', sources: ['q']})-[:USES {sources: []}]->"
        "(:Medium {id: 'qtest:m', sources: ['q']})",
        "deleted",
    ),
    "sync/release_nodes": Case(
        before=_create(
            "CREATE (:Medium {id: 'qtest:shared', sources: ['qtest', 'other'], "
            "source_ids: ['qtest:1', 'other:1'], row_hashes: ['qtest:h', 'other:h']})"
        ),
        params={"source": "qtest", "ids": ["qtest:shared"]},
        check=_released("(x:Medium {id: 'qtest:shared'})"),
    ),
    "sync/release_relationships": Case(
        before=_create(
            "CREATE (:Artwork {id: 'qtest:r1'})-[:USES {sources: ['qtest', 'other'], "
            "row_hashes: ['qtest:h', 'other:h']}]->(:Medium {id: 'qtest:r2'})"
        ),
        params={"source": "qtest", "keys": ["USES|qtest:r1|qtest:r2"]},
        check=_released("(:Artwork {id: 'qtest:r1'})-[x:USES]->()"),
    ),
    "sync/save_source_state": Case(params=_state_row(), check=_state_saved),
    "sync/source_states": Case(
        before=lambda store: [store.write("sync/save_source_state", **_state_row())],
        params={"source": "qtest"},
        check=_state_read,
    ),
    "sync/stored_node_hashes": Case(params={"source": "wikiart"}, check=_hash_rows(3, "Artwork")),
    "sync/stored_relationship_hashes": Case(
        params={"source": "wikiart"}, check=_hash_rows(4, "CREATED_BY")
    ),
}


def _fail(result: Result) -> None:
    raise AssertionError(f"unexpected rows: {result.rows[:5]}")


# ---- the API's queries (cypher/api/) -------------------------------------------------------
NO_FILTERS = {
    "has_image": None,
    "year_from": None,
    "year_to": None,
    "movement": None,
    "artist": None,
    "predicted": None,
}


def _one(store: GraphStore, cypher: str) -> Any:
    """The first value of a fixed read (ids of test data the cases need)."""
    return store.cypher(cypher).value()


def _busiest_movement(store: GraphStore) -> str:
    return _one(
        store,
        "MATCH (m:Movement)<-[:IN_STYLE]-(:Artwork) WITH m, count(*) AS n "
        "RETURN m.id ORDER BY n DESC, m.id LIMIT 1",
    )


def _prolific_artist(store: GraphStore) -> str:
    return _one(
        store,
        "MATCH (x:Artist)<-[:CREATED_BY]-(a:Artwork) WHERE a.image_path IS NOT NULL "
        "WITH x, count(*) AS n RETURN x.id ORDER BY n DESC, x.id LIMIT 1",
    )


def _page(**params: Any) -> Params:
    return {**NO_FILTERS, "offset": 0, "limit": 5, **params}


def _ids_sorted_and(
    check: Callable[[GraphStore, str], bool],
) -> Callable[[Result, GraphStore], None]:
    def run(result: Result, store: GraphStore) -> None:
        ids = [r["id"] for r in result.rows]
        assert len(ids) == 5 and len(set(ids)) == 5, ids
        assert all(check(store, i) for i in ids), ids

    return run


def _has_image(store: GraphStore, node_id: str) -> bool:
    return value_of(store, "Artwork", node_id, "image_path") is not None


def _by_monet(store: GraphStore, node_id: str) -> bool:
    found = store.cypher(
        "MATCH (a:Artwork {id: $id}) RETURN a.title AS t, "
        "[(a)-[:CREATED_BY]->(x:Artist) | x.name] AS names",
        {"id": node_id},
    ).rows[0]
    return "monet" in (found["t"] or "").lower() or any("Monet" in n for n in found["names"])


def _by_prolific(store: GraphStore, node_id: str) -> bool:
    query = "MATCH (:Artwork {id: $id})-[:CREATED_BY]->(:Artist {id: $x}) RETURN count(*) AS n"
    return store.cypher(query, {"id": node_id, "x": _prolific_artist(store)}).value() == 1


def _in_busiest_movement(store: GraphStore, node_id: str) -> bool:
    query = "MATCH (:Artwork {id: $id})-[:IN_STYLE]->(:Movement {id: $m}) RETURN count(*) AS n"
    return store.cypher(query, {"id": node_id, "m": _busiest_movement(store)}).value() == 1


def _search_params(store: GraphStore) -> Params:
    from api.search import fulltext_query

    return _page(query=fulltext_query("Monet", store.dialect), max_matches=1000)


def _cards(result: Result, store: GraphStore) -> None:
    assert [r["id"] for r in result.rows] == some_ids(store, "Artwork")
    assert all(isinstance(r["artists"], list) and "image_path" in r for r in result.rows)
    assert all(isinstance(r["predictions"], list) for r in result.rows)


def _predicted_cubism(result: Result, store: GraphStore) -> None:
    assert [r["id"] for r in result.rows] == sorted(_baroque_works(store))


def _prediction_cards(result: Result, store: GraphStore) -> None:
    works = _baroque_works(store)
    assert [r["node_id"] for r in result.rows] == works
    for row in result.rows:
        assert (row["model"], row["version"], row["label"]) == ("qtest-movement", 1, "Cubism")
        assert row["kind"] == "Artwork" and row["image_path"] and row["current"] is True
        assert {"model": "qtest-movement", "task": "movement", "label": "Cubism"}.items() <= (
            row["predictions"][0].items()
        )
    assert result.rows[0]["reviews"] == ["Baroque"]  # _save_review's, about the first


def _a_tile(result: Result, store: GraphStore) -> None:
    assert result.rows == [
        {"id": _tiles(store)[0]["id"], "kind": "GeneratedImage", "has_image": True}
    ]
    assert not store.read("api/imaged_node", id="qtest:nothing").rows


UPLOAD_ROW = {
    "id": "upload:qtest",
    "title": "qtest upload",
    "image_path": "/tmp/qtest-upload.png",
    "image_sha256": "ab" * 32,  # a well-formed digest: later cases read this graph too
    "image_width": 10,
    "image_height": 20,
}


def _upload_saved(result: Result, store: GraphStore) -> None:
    assert result.rows == [{"id": "upload:qtest", "created": True, "title": "qtest upload"}]
    again = store.write("api/save_upload", row=UPLOAD_ROW).rows
    assert again[0]["created"] is False and count(store, "(:Artwork {id: 'upload:qtest'})") == 1
    assert value_of(store, "Artwork", "upload:qtest", "sources") == ["upload"]
    # An upload's making is unknown: detector datasets do not label it 'human'.
    labelled = store.read("datasets/label_via_source_kind").rows
    assert "upload:qtest" not in {r["artwork_id"] for r in labelled}


def _artwork_scored_and_reviewed(result: Result, store: GraphStore) -> None:
    row = result.rows[0]
    assert row["id"] == _baroque_works(store)[0]
    assert isinstance(row["artists"], list) and isinstance(row["recommends"], list)
    assert [(p["model"], p["label"], p["version"]) for p in row["predictions"]] == [
        ("qtest-movement", "Cubism", 1)
    ]
    assert [(r["label"], r["by"], r["note"]) for r in row["reviews"]] == [("Baroque", "qtest", "q")]


def _a_student(store: GraphStore) -> Params:
    return {
        "id": _one(store, "MATCH (s:Artist)-[:APPRENTICE_OF]->(:Artist) RETURN s.id ORDER BY s.id")
    }


def _artist_neighbourhood(result: Result, store: GraphStore) -> None:
    row = result.rows[0]
    teachers = store.cypher(
        "MATCH (:Artist {id: $id})-[:APPRENTICE_OF]->(t:Artist) RETURN t.id AS id",
        {"id": row["id"]},
    ).rows
    assert {t["id"] for t in row["teachers"]} == {t["id"] for t in teachers} != set()
    assert isinstance(row["work_count"], int) and isinstance(row["born_in"], list)


def _movement_detail(result: Result, store: GraphStore) -> None:
    row = result.rows[0]
    assert row["id"] == _busiest_movement(store) and row["artist_count"] >= len(row["artists"]) > 0


def _all_countries(result: Result, _store: GraphStore) -> None:
    assert len(result.rows) == 5 and all(r["type"] == "country" for r in result.rows)
    names = [r["name"] for r in result.rows]
    assert names == sorted(names)


def _first_row(**expected: Any) -> Callable[[Result, GraphStore], None]:
    def check(result: Result, _store: GraphStore) -> None:
        assert result.rows, "no rows"
        row = result.rows[0]
        assert {key: row[key] for key in expected} == expected, row

    return check


def _score_first_artists(store: GraphStore) -> None:
    """Two artists with analytics results, as `analytics run` writes them."""
    rows = [
        {"id": i, "pagerank": 0.9 - n / 10, "community": 7}
        for n, i in enumerate(some_ids(store, "Artist", 2))
    ]
    store.write("analytics/write_artists", rows=rows)


def _communities(result: Result, store: GraphStore) -> None:
    row = next(r for r in result.rows if r["community"] == 7)
    assert row["size"] >= 2 and [m["id"] for m in row["members"]][:2] == some_ids(
        store, "Artist", 2
    )


def _pagerank_first(result: Result, store: GraphStore) -> None:
    assert result.rows[0]["id"] == some_ids(store, "Artist", 1)[0]
    ranks = [r["pagerank"] for r in result.rows]
    assert ranks == sorted(ranks, reverse=True)


def _a_country(store: GraphStore) -> None:
    node_id = _one(store, "MATCH (p:Place {type: 'country'}) RETURN p.id ORDER BY p.id")
    store.write("analytics/write_countries", rows=[{"id": node_id, "artists": 123456}])


def _a_scored_movement(store: GraphStore) -> None:
    rows = [
        {"id": _busiest_movement(store), "weighted_degree": 99999, "betweenness": 0.5, "artists": 3}
    ]
    store.write("analytics/write_movements", rows=rows)


def _dataset_listed(result: Result, _store: GraphStore) -> None:
    row = next(r for r in result.rows if r["id"] == "dataset:qtest")
    assert row["counts_json"] == DATASET_ROW["counts_json"] and row["classes"] == [
        "Baroque",
        "Cubism",
    ]


def _named_monet(result: Result, _store: GraphStore) -> None:
    assert result.rows and all("monet" in r["name"].lower() for r in result.rows), result.rows


def _movements_counted(result: Result, _store: GraphStore) -> None:
    assert len(result.rows) > 10 and any(r["artwork_count"] > 0 for r in result.rows)
    assert all(isinstance(r["artist_count"], int) for r in result.rows)


API_CASES: dict[str, Case] = {
    "api/ping": Case(check=_first_row(ok=1)),
    "api/artwork_ids": Case(params=_page(has_image=True), check=_ids_sorted_and(_has_image)),
    "api/artwork_ids_in_movement": Case(
        params=lambda store: _page(movement=_busiest_movement(store)),
        check=_ids_sorted_and(_in_busiest_movement),
    ),
    "api/artwork_ids_by_artist": Case(
        params=lambda store: _page(artist=_prolific_artist(store)),
        check=_ids_sorted_and(_by_prolific),
    ),
    "api/search_artwork_ids": Case(
        params=_search_params,
        check=_ids_sorted_and(_by_monet),
    ),
    "api/artwork_cards": Case(
        params=lambda store: {"ids": some_ids(store, "Artwork")}, check=_cards
    ),
    "api/artwork": Case(
        before=_save_review,
        params=lambda store: {"id": _baroque_works(store)[0]},
        check=_artwork_scored_and_reviewed,
    ),
    "api/artwork_ids_predicted": Case(
        before=_scored,
        params=_page(predicted="Cubism", has_image=True),
        check=_predicted_cubism,
    ),
    "api/prediction_cards": Case(
        before=_save_review,
        params=lambda store: {"ids": [f"prediction:qtest:{w}" for w in _baroque_works(store)]},
        check=_prediction_cards,
    ),
    "api/imaged_node": Case(params=lambda store: {"id": _tiles(store)[0]["id"]}, check=_a_tile),
    "api/save_upload": Case(params={"row": UPLOAD_ROW}, check=_upload_saved),
    "api/artists": Case(
        params={"q": "monet", "movement": None, "offset": 0, "limit": 5}, check=_named_monet
    ),
    "api/artist": Case(params=_a_student, check=_artist_neighbourhood),
    "api/movements": Case(check=_movements_counted),
    "api/movement": Case(
        params=lambda store: {"id": _busiest_movement(store)}, check=_movement_detail
    ),
    "api/places": Case(
        params={"type": "country", "q": None, "offset": 0, "limit": 5}, check=_all_countries
    ),
    "api/datasets": Case(before=_save_dataset, check=_dataset_listed),
    "api/pagerank": Case(before=_score_first_artists, params={"limit": 5}, check=_pagerank_first),
    "api/communities": Case(
        before=_score_first_artists, params={"limit": 50, "members": 3}, check=_communities
    ),
    "api/countries": Case(before=_a_country, check=_first_row(artist_count=123456)),
    "api/movement_network": Case(
        before=_a_scored_movement, check=_first_row(weighted_degree=99999)
    ),
}
CASES.update(API_CASES)
from tests.identity_cases import build_cases as identity_cases  # noqa: E402

CASES.update(identity_cases())
