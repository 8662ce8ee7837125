"""The API's read endpoints through the Flask test client, against the real graph on both
engines (the `client` fixture is parametrised over them through `graphs`)."""

from __future__ import annotations

from urllib.parse import quote

from flask.testing import FlaskClient

from graphkit.store import GraphStore
from tests.helpers import count, label_counts


def prolific_artist(store: GraphStore) -> str:
    """The artist with the most works that have an image."""
    return store.cypher(
        "MATCH (x:Artist)<-[:CREATED_BY]-(a:Artwork) WHERE a.image_path IS NOT NULL "
        "WITH x, count(*) AS n RETURN x.id ORDER BY n DESC, x.id LIMIT 1"
    ).value()


def ok(client: FlaskClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_json())
    assert response.mimetype == "application/json"
    return response.get_json()


def test_artworks_page_through_every_artwork_once(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = ok(client, f"/api/artworks?limit=100&offset={offset}")
        seen += [item["id"] for item in page["items"]]
        offset = page["next_offset"]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert len(seen) == label_counts(api_graph)["Artwork"]


def test_artwork_cards_carry_urls_not_paths(client: FlaskClient) -> None:
    page = ok(client, "/api/artworks?has_image=true&limit=5")
    assert len(page["items"]) == 5 and page["next_offset"] == 5
    for item in page["items"]:
        assert item["image_url"].startswith("/media/shared/")
        assert item["thumbnail_url"] == item["image_url"] + "?thumb=true"
        assert "image_path" not in item
    without = ok(client, "/api/artworks?has_image=false&limit=5")["items"]
    assert without and all(item["image_url"] is None for item in without)


def test_filters_by_movement_artist_and_years(client: FlaskClient, api_graph: GraphStore) -> None:
    in_style = ok(client, "/api/artworks?movement=movement:impressionism&limit=100")["items"]
    assert len(in_style) == count(
        api_graph, "(:Artwork)-[:IN_STYLE]->(:Movement {id: 'movement:impressionism'})"
    )
    assert all(
        {"id": "movement:impressionism", "name": "Impressionism"} in i["movements"]
        for i in in_style
    )
    artist = prolific_artist(api_graph)
    works = ok(client, f"/api/artworks?artist={quote(artist)}&has_image=true&limit=100")["items"]
    assert len(works) >= 3 and all(i["image_url"] for i in works)
    assert all(artist in [a["id"] for a in i["artists"]] for i in works)
    movement = api_graph.cypher(
        "MATCH (:Artist {id: $a})<-[:CREATED_BY]-(:Artwork)-[:IN_STYLE]->(m:Movement) "
        "RETURN m.id ORDER BY m.id LIMIT 1",
        {"a": artist},
    ).value()
    if movement is not None:
        both = ok(client, f"/api/artworks?artist={quote(artist)}&movement={quote(movement)}")
        assert both["items"] and all(
            movement in [m["id"] for m in i["movements"]]
            and artist in [a["id"] for a in i["artists"]]
            for i in both["items"]
        )
    years = ok(client, "/api/artworks?year_from=1860&year_to=1880&limit=100")["items"]
    assert years and all(1860 <= i["year"] <= 1880 for i in years)


def test_search_finds_titles_and_artist_names(client: FlaskClient) -> None:
    by_name = ok(client, "/api/artworks?q=Monet&limit=100")["items"]
    assert by_name and all(
        "monet" in (i["title"] or "").lower() or any("Monet" in a["name"] for a in i["artists"])
        for i in by_name
    )
    by_title = ok(client, "/api/artworks?q=water%20lil&limit=100")["items"]  # a prefix, typed
    assert by_title and all("water" in i["title"].lower() for i in by_title)
    narrowed = ok(client, "/api/artworks?q=Monet&year_from=1890&limit=100")["items"]
    assert {i["id"] for i in narrowed} <= {i["id"] for i in by_name}
    assert all(i["year"] >= 1890 for i in narrowed)


def test_cypher_looking_search_is_plain_text(client: FlaskClient, api_graph: GraphStore) -> None:
    before = label_counts(api_graph)
    for text in (
        "') MATCH (n) DETACH DELETE n //",
        '" OR 1=1 RETURN n //',
        "*:* OR title:x~ AND (",
        "} RETURN 1 UNION MATCH (n) SET n.x = 1 {",
        "@title:{x} | -y",
    ):
        page = ok(client, f"/api/artworks?q={quote(text)}")
        assert page["items"] == [] or all(i["id"] for i in page["items"])
    assert label_counts(api_graph) == before
    assert count(api_graph, "(n) WHERE n.x IS NOT NULL") == 0


def test_one_artwork_with_artists_movements_and_image(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    artwork_id = api_graph.cypher(
        "MATCH (a:Artwork)-[:IN_STYLE]->(:Movement) WHERE a.image_path IS NOT NULL "
        "RETURN a.id ORDER BY a.id LIMIT 1"
    ).value()
    artwork = ok(client, f"/api/artworks/{quote(artwork_id, safe='')}")
    assert artwork["id"] == artwork_id and artwork["embedded"] is True
    assert artwork["artists"] and artwork["movements"] and artwork["image_url"]
    image = client.get(artwork["image_url"])
    assert image.status_code == 200 and image.mimetype.startswith("image/")


def test_similar_artworks_nearest_first_without_itself(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    artwork_id = api_graph.cypher(
        "MATCH (a:Artwork) WHERE a.embedding IS NOT NULL RETURN a.id ORDER BY a.id LIMIT 1"
    ).value()
    found = ok(client, f"/api/artworks/{quote(artwork_id, safe='')}/similar?k=5")
    assert found["embedded"] is True and len(found["items"]) == 5
    assert artwork_id not in [i["id"] for i in found["items"]]
    similarities = [i["similarity"] for i in found["items"]]
    assert similarities == sorted(similarities, reverse=True) and similarities[0] < 1.0
    assert all(i["thumbnail_url"] for i in found["items"])
    no_image = api_graph.cypher(
        "MATCH (a:Artwork) WHERE a.image_path IS NULL RETURN a.id ORDER BY a.id LIMIT 1"
    ).value()
    empty = ok(client, f"/api/artworks/{quote(no_image, safe='')}/similar")
    assert empty == {"id": no_image, "embedded": False, "items": []}


def test_artist_with_teachers_students_places_and_works(
    client: FlaskClient, api_graph: GraphStore
) -> None:
    pair = api_graph.cypher(
        "MATCH (s:Artist)-[:APPRENTICE_OF]->(t:Artist) "
        "RETURN s.id AS s, t.id AS t ORDER BY s, t LIMIT 1"
    ).rows[0]
    student = ok(client, f"/api/artists/{quote(pair['s'], safe='')}")
    assert pair["t"] in [t["id"] for t in student["teachers"]]
    teacher = ok(client, f"/api/artists/{quote(pair['t'], safe='')}")
    assert pair["s"] in [s["id"] for s in teacher["students"]]
    busy = ok(client, f"/api/artists/{quote(prolific_artist(api_graph), safe='')}")
    assert busy["work_count"] >= len(busy["works"]) >= 3
    assert busy["works"][0]["image_url"]  # works with an image come first
    born = api_graph.cypher(
        "MATCH (a:Artist)-[:BORN_IN]->(p:Place) RETURN a.id AS a, p.name AS p ORDER BY a LIMIT 1"
    ).rows[0]
    assert (
        ok(client, f"/api/artists/{quote(born['a'], safe='')}")["born_in"][0]["name"] == born["p"]
    )


def test_generated_images_are_served_as_tiles(client: FlaskClient, api_graph: GraphStore) -> None:
    artist_id = api_graph.cypher(
        "MATCH (:GeneratedImage)-[:IN_STYLE_OF]->(a:Artist) RETURN a.id ORDER BY a.id LIMIT 1"
    ).value()
    tiles = ok(client, f"/api/artists/{quote(artist_id, safe='')}")["generated"]
    assert sorted(t["tile"] for t in tiles) == [0, 1, 2, 3]
    from io import BytesIO

    from PIL import Image

    sizes = set()
    for tile in tiles:
        response = client.get(tile["image_url"])
        assert response.status_code == 200
        sizes.add(Image.open(BytesIO(response.data)).size)
    assert sizes == {(512, 512)}  # a quarter of the 1024 px grid file


def test_artists_list_filters(client: FlaskClient) -> None:
    page = ok(client, "/api/artists?q=van&limit=10")
    assert page["items"] and all("van" in a["name"].lower() for a in page["items"])
    names = [a["name"] for a in ok(client, "/api/artists?limit=50")["items"]]
    assert names == sorted(names)
    members = ok(client, "/api/artists?movement=movement:impressionism&limit=100")["items"]
    assert members and all(
        "movement:impressionism" in [m["id"] for m in a["movements"]] for a in members
    )


def test_movements_and_one_movement(client: FlaskClient, api_graph: GraphStore) -> None:
    movements = ok(client, "/api/movements")["items"]
    assert len(movements) == label_counts(api_graph)["Movement"]
    impressionism = next(m for m in movements if m["id"] == "movement:impressionism")
    assert impressionism["artwork_count"] >= 10  # the WikiArt slice
    one = ok(client, "/api/movements/movement:impressionism")
    assert one["artist_count"] == impressionism["artist_count"] >= len(one["artists"])
    assert all(r["shared_artists"] >= 1 for r in one["related"])


def test_places_countries_and_search(client: FlaskClient) -> None:
    countries = ok(client, "/api/places?type=country&limit=100")["items"]
    assert len(countries) > 10 and all(p["type"] == "country" for p in countries)
    paris = ok(client, "/api/places?q=paris")["items"]
    assert any(
        p["id"] == "place:france.paris" and p["located_in"][0]["name"] == "France" for p in paris
    )


def test_analytics_results(client: FlaskClient) -> None:
    ranks = ok(client, "/api/analytics/pagerank?limit=10")["items"]
    assert len(ranks) == 10 and ranks == sorted(ranks, key=lambda r: -r["pagerank"])
    communities = ok(client, "/api/analytics/communities?limit=3&members=2")["items"]
    assert communities and all(len(c["members"]) <= 2 for c in communities)
    assert [c["size"] for c in communities] == sorted(
        (c["size"] for c in communities), reverse=True
    )
    network = ok(client, "/api/analytics/movements")
    names = {n["id"] for n in network["nodes"]}
    assert network["links"] and all(
        link["source"] in names and link["target"] in names for link in network["links"]
    )
    countries = ok(client, "/api/analytics/countries")["items"]
    assert countries[0]["artist_count"] >= countries[-1]["artist_count"] > 0


def test_stats_and_datasets(client: FlaskClient, api_graph: GraphStore) -> None:
    stats = ok(client, "/api/stats")
    assert stats["labels"] == label_counts(api_graph)
    assert stats["relationships"]["CREATED_BY"] > 1000
    datasets = ok(client, "/api/datasets")["items"]
    built = next(d for d in datasets if d["name"] == "api-styles")
    assert sum(built["counts"].values()) == built["size"] and built["classes"]


def test_health_reports_the_graph_and_missing_models(client: FlaskClient) -> None:
    health = ok(client, "/api/health")
    assert health["status"] == "ok" and health["graph"]["reachable"] is True
    # This app's models directory is the fixture's copy: every model present and intact.
    assert health["models_ok"] is True
    assert {m["name"] for m in health["models"]} == {
        "detector",
        "detector-svm-dct",
        "detector-backbone",
        "detector-gfnet",
        "movement-efficientnet-lite0",
    }
