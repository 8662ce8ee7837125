"""Embeddings on graph nodes and "artworks that look like this one", on a test graph (every
engine the `store` fixture runs on), with real images and the tiny trained Lite0."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphkit.errors import GraphkitError
from graphkit.schema import apply_schema
from graphkit.store import GraphStore
from tests.helpers import run_cli

STYLES = ("Ukiyo_e", "Pointillism", "Baroque")


def _load_artworks(store: GraphStore, shared_data: Path) -> list[str]:
    """Eight artworks of each of three styles, linked to their style, and one generated grid
    (four tiles: a GeneratedImage each, cropped out of one file)."""
    apply_schema(store)
    rows = []
    for style in STYLES:
        for path in sorted((shared_data / "wikiart" / style).glob("*.jpg"))[:8]:
            rows.append(
                {
                    "id": f"wikiart:artwork:{style}/{path.stem}",
                    "path": str(path),
                    "style": style.replace("_", "-"),
                }
            )
    store.cypher(
        "UNWIND $rows AS r MERGE (m:Movement {id: 'movement:' + r.style}) SET m.name = r.style "
        "CREATE (w:Artwork {id: r.id, image_path: r.path, title: r.id})-[:IN_STYLE]->(m)",
        {"rows": rows},
        write=True,
    )
    grid = sorted((shared_data / "ai_generated" / "grids").glob("*.webp"))[0]
    tiles = [
        {
            "id": f"generated:{grid.stem}:{t}",
            "crop": [(t % 2) * 512, (t // 2) * 512, (t % 2) * 512 + 512, (t // 2) * 512 + 512],
        }
        for t in range(4)
    ]
    store.cypher(
        "UNWIND $tiles AS t CREATE (:GeneratedImage {id: t.id, path: $path, crop: t.crop})",
        {"tiles": tiles, "path": str(grid)},
        write=True,
    )
    return [r["id"] for r in rows]


def test_embed_stores_vectors_and_similar_finds_the_artwork_itself_first(
    store: GraphStore, shared_data: Path, lite0, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from ml.embeddings.embed import embed_graph, similar_artworks
    from ml.movement.onnx_model import OnnxMovementModel

    ids = _load_artworks(store, shared_data)
    model = OnnxMovementModel.load(lite0[2])
    first = embed_graph(store, model)
    # Run twice: new vectors replace old ones and the index stays right (FalkorDB once did not)
    report = embed_graph(store, model)
    assert first.stored == report.stored == len(ids) + 4
    assert report.by_label == {"Artwork": len(ids), "GeneratedImage": 4}
    width = model.embedding_size
    assert report.indexes_created == [
        f"Artwork.embedding ({width})",
        f"GeneratedImage.embedding ({width})",
    ]

    stored = store.cypher(
        "MATCH (g:GeneratedImage) RETURN g.id AS id, g.embedding AS e, g.embedding_model AS m "
        "ORDER BY id"
    ).rows
    assert all(len(r["e"]) == width and r["m"].startswith("efficientnet-lite0:") for r in stored)
    # four different tiles of one file give four different embeddings
    assert len({tuple(np.round(r["e"], 4)) for r in stored}) == 4

    for artwork in (ids[0], ids[9], ids[-1]):
        rows = similar_artworks(store, artwork, 5)
        assert len(rows) == 5
        assert rows[0]["id"] == artwork and rows[0]["similarity"] == pytest.approx(1.0, abs=1e-3)
        similarities = [r["similarity"] for r in rows]
        assert similarities == sorted(similarities, reverse=True) and similarities[1] < 0.9999
        assert all(r["id"].startswith("wikiart:artwork:") for r in rows)  # artworks only

    done = run_cli("similar", ids[3], "-k", "3", "--json", data_dir=tmp_path, store=store)
    assert done.returncode == 0, done.stderr
    printed = [json.loads(line) for line in done.stdout.splitlines()]
    assert printed[0]["id"] == ids[3] and len(printed) == 3
    assert printed[0]["movements"] == [ids[3].split(":")[2].split("/")[0].replace("_", "-")]


def test_a_second_embed_runs_the_backbone_over_nothing(
    store: GraphStore, shared_data: Path, lite0, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Through the shared statistics cache the backbone runs once per image: a second embed
    (or one after training, which fills the cache) computes nothing, and stores what the
    whole network computes from the pixels."""
    from ml.embeddings.embed import embed_graph, embed_with_shared_backbone
    from ml.movement.onnx_model import OnnxMovementModel

    ids = _load_artworks(store, shared_data)
    model = OnnxMovementModel.load(lite0[2])
    first = embed_with_shared_backbone(store, model, tmp_path)
    second = embed_with_shared_backbone(store, model, tmp_path)
    assert first.backbone_runs == len(ids) + 4 and second.backbone_runs == 0
    assert first.stored == second.stored == len(ids) + 4

    def vectors() -> dict[str, list[float]]:
        rows = store.cypher(
            "MATCH (n) WHERE n:Artwork OR n:GeneratedImage RETURN n.id AS id, n.embedding AS e"
        ).rows
        return {r["id"]: r["e"] for r in rows}

    cached = vectors()
    from_pixels = embed_graph(store, model)
    assert from_pixels.backbone_runs is None
    for node, vector in vectors().items():
        np.testing.assert_allclose(cached[node], vector, atol=1e-3)


def test_similar_needs_a_known_embedded_artwork(
    store: GraphStore, shared_data: Path, tmp_path: Path
) -> None:
    from ml.embeddings.embed import similar_artworks

    ids = _load_artworks(store, shared_data)
    with pytest.raises(GraphkitError, match="no Artwork with id 'nope'"):
        similar_artworks(store, "nope", 3)
    with pytest.raises(GraphkitError, match="has no embedding yet: run `graphkit embed`"):
        similar_artworks(store, ids[0], 3)
    done = run_cli("similar", "nope", data_dir=tmp_path, store=store)
    assert done.returncode == 1 and "no Artwork with id 'nope'" in done.stderr


def test_embed_cli_skips_an_unreadable_image(
    store: GraphStore, shared_data: Path, lite0, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = _load_artworks(store, shared_data)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff")
    store.cypher(
        "MATCH (w:Artwork {id: $id}) SET w.image_path = $path",
        {"id": ids[0], "path": str(broken)},
        write=True,
    )
    done = run_cli("embed", "--model", str(lite0[2]), "--json", data_dir=tmp_path, store=store)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stored"] == len(ids) - 1 + 4
    assert [s["file"] for s in report["skipped"]] == [str(broken)]
