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

from graphkit.engines.base import Result
from graphkit.store import GraphStore

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


def _images_to_embed(result: Result, _store: GraphStore) -> None:
    rows_with("id", "label", "path", "crop", at_least=1000)(result, _store)
    assert {r["label"] for r in result.rows} <= {"Artwork", "GeneratedImage"}


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
    "embeddings/images_to_embed": Case(check=_images_to_embed),
    "embeddings/set_embeddings": Case(
        before=lambda store: store.write("embeddings/clear_embeddings"),
        params=lambda store: {
            **_first("Artwork", embedding=[0.1, 0.2, 0.3, 0.4])(store),
            "model": "qtest",
        },
        check=_embedding_stored,
    ),
    "embeddings/similar_artworks": Case(
        before=_embed_first_artworks,
        params=lambda store: {"id": some_ids(store, "Artwork", 1)[0], "k": 3},
        check=_nearest_first,
    ),
    "load/artist_index": Case(check=rows_with("id", "props", at_least=100)),
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
    "stats/identity": Case(check=_identity),
    "stats/label_counts": Case(check=_counts_include("label", "Artwork")),
    "stats/relationship_counts": Case(check=_counts_include("type", "CREATED_BY")),
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


def _artwork_detail(result: Result, store: GraphStore) -> None:
    row = result.rows[0]
    assert row["id"] == some_ids(store, "Artwork", 1)[0]
    assert isinstance(row["artists"], list) and isinstance(row["recommends"], list)
    assert row["embedded"] in (True, False)


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
        params=lambda store: {"id": some_ids(store, "Artwork", 1)[0]},
        check=_artwork_detail,
    ),
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
