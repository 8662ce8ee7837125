"""Datasets built from the real data in ../shared/data, on the real embedded engine."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import imagehash
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from graphkit.cli import cli
from graphkit.datasets.build import (
    BuildOptions,
    build_dataset,
    dataset_id,
    find_dataset,
)
from graphkit.datasets.dedupe import NEAR_DUPLICATE_BITS, near_duplicate_pairs
from graphkit.datasets.labels import fetch_labels, query_hash
from graphkit.datasets.manifest import read_manifest, read_summary
from graphkit.datasets.splits import parse_fractions
from graphkit.errors import DatasetError
from graphkit.populate import populate_source
from graphkit.store import GraphStore
from tests.graphs import Graphs


@pytest.fixture(scope="module")
def wikiart(graphs: Graphs, shared_data: Path) -> Iterator[GraphStore]:
    """Only WikiArt loaded, shared by this module's tests; they may add Dataset nodes."""
    store = graphs.acquire()
    populate_source(store, "wikiart", shared_data / "wikiart", progress=False)
    yield store
    graphs.release(store)


@pytest.fixture(scope="module")
def by_artist(wikiart: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ds") / "by-artist"
    build_dataset(wikiart, "by-artist", BuildOptions("artist", min_per_class=10), out)
    return out


@pytest.fixture(scope="module")
def by_artwork(wikiart: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ds") / "by-artwork"
    build_dataset(wikiart, "by-artwork", BuildOptions("artwork", min_per_class=10, seed=7), out)
    return out


def _styles_per_artist(store: GraphStore) -> dict[str, set[str]]:
    rows = store.cypher(
        "MATCH (w:Artwork)-[:CREATED_BY]->(a:Artist), (w)-[:IN_STYLE]->(m:Movement) "
        "RETURN a.id AS artist, collect(DISTINCT m.name) AS styles"
    ).rows
    return {r["artist"]: set(r["styles"]) for r in rows}


# --- the unique-movement rule ---------------------------------------------------------------


def test_wikiart_artist_with_two_styles_contributes_nothing(
    wikiart: GraphStore, by_artist: Path
) -> None:
    styles = _styles_per_artist(wikiart)
    two = {a for a, s in styles.items() if len(s) > 1}
    one = {a: next(iter(s)) for a, s in styles.items() if len(s) == 1}
    assert "artist:conrad-marca-relli" in two  # Abstract Expressionism and Minimalism
    manifest = read_manifest(by_artist)
    assert not set(manifest["artist_id"]) & two
    # Every single-style artist's label is that style.
    labels = manifest.groupby("artist_id")["label"].unique()
    assert all(list(labels[a]) == [one[a]] for a in labels.index)
    assert len(manifest) > 1000


def test_artist_rule_on_every_source(populated: GraphStore) -> None:
    """With stated movements (datathon, Tate) as well as derived ones, the label is the
    artist's only movement, and no artist with two movements appears."""
    rows = fetch_labels(populated, "artist").rows
    movements = {
        r["artist"]: r["movements"]
        for r in populated.cypher(
            "MATCH (a:Artist)-[:MEMBER_OF]->(m:Movement) "
            "RETURN a.id AS artist, collect(DISTINCT m.name) AS movements"
        ).rows
    }
    multi = {a for a, m in movements.items() if len(m) > 1}
    artists = {ids[0] for ids in rows["artist_ids"]}
    assert rows["artist_ids"].map(len).eq(1).all()
    assert not artists & multi
    pairs = zip(rows["artist_ids"], rows["label"], strict=True)
    assert all(movements[ids[0]] == [label] for ids, label in pairs)
    # Artists with images and two movements exist, so the rule has something to exclude.
    imaged_multi = populated.cypher(
        "MATCH (w:Artwork)-[:CREATED_BY]->(a:Artist) WHERE w.image_path IS NOT NULL "
        "AND a.id IN $ids RETURN count(DISTINCT a) AS n",
        {"ids": sorted(multi)},
    ).value()
    assert imaged_multi > 0
    assert rows["artwork_id"].is_unique


# --- rare classes, splits, duplicates ------------------------------------------------------


def test_rare_classes_are_dropped_and_reported(wikiart: GraphStore, tmp_path: Path) -> None:
    labels = fetch_labels(wikiart, "artist").rows["label"].value_counts()
    # A threshold between the smallest and the largest class.
    threshold = int(sorted(labels)[len(labels) // 2])
    summary = build_dataset(
        wikiart, "rare", BuildOptions("artist", min_per_class=threshold), tmp_path / "rare"
    )
    kept = {k for k, v in labels.items() if v >= threshold}
    rare = {k: int(v) for k, v in labels.items() if v < threshold}
    assert rare and kept
    assert set(summary["classes"]) == kept
    assert summary["dropped"]["rare_classes"] == rare
    assert set(read_manifest(tmp_path / "rare")["label"]) == kept
    assert (tmp_path / "rare" / "classes.txt").read_text().splitlines() == sorted(kept)


@pytest.mark.parametrize("fixture", ["by_artist", "by_artwork"])
def test_splits_are_artist_disjoint_and_stratified(
    fixture: str, wikiart: GraphStore, request: pytest.FixtureRequest
) -> None:
    # `wikiart` in the signature makes the test run once per engine (the fixture looked up by
    # name below is built on it).
    manifest = read_manifest(request.getfixturevalue(fixture))
    assert set(manifest["split"]) == {"train", "val", "test"}
    with_artist = manifest[manifest["artist_id"].notna()]
    assert with_artist.groupby("artist_id")["split"].nunique().max() == 1
    share = pd.crosstab(manifest["label"], manifest["split"], normalize="index")
    # Grouping by artist limits how exact the stratification can be, not whether it happens.
    assert share["train"].between(0.5, 0.85).all(), share
    assert (share["test"] > 0).all() and (share["val"] > 0).all(), share


def test_duplicates_never_straddle_splits_and_conflicts_are_dropped(
    wikiart: GraphStore, by_artwork: Path
) -> None:
    manifest = read_manifest(by_artwork)
    summary = read_summary(by_artwork)
    graph = pd.DataFrame(
        wikiart.cypher(
            "MATCH (w:Artwork)-[:IN_STYLE]->(m:Movement) RETURN w.id AS artwork_id, "
            "w.image_sha256 AS sha, w.image_phash AS phash, m.name AS label"
        ).rows
    )
    # Files filed under two styles: the same bytes with two labels.
    conflicting = {sha for sha, n in graph.groupby("sha")["label"].nunique().items() if n > 1}
    assert len(conflicting) >= 5
    assert {c["image_sha256"] for c in summary["dropped"]["label_conflicts"]} == conflicting
    assert not set(manifest["image_sha256"]) & conflicting
    # Exact copies kept (same label) share a split.
    assert manifest.groupby("image_sha256")["split"].nunique().max() == 1
    # Near duplicates, found here by brute force, share a split too.
    kept = graph[graph["artwork_id"].isin(manifest["artwork_id"])].reset_index(drop=True)
    values = np.array([int(h, 16) for h in kept["phash"]], dtype=np.uint64)
    split_of = dict(zip(manifest["artwork_id"], manifest["split"], strict=True))
    pairs = 0
    for i in range(len(values)):
        close = np.flatnonzero(np.bitwise_count(values[i + 1 :] ^ values[i]) <= NEAR_DUPLICATE_BITS)
        for j in close + i + 1:
            pairs += 1
            assert split_of[kept["artwork_id"][i]] == split_of[kept["artwork_id"][j]]
    assert pairs > 0


def test_hand_made_duplicates(store: GraphStore, shared_data: Path, tmp_path: Path) -> None:
    """Real images in a small graph: one image under two labels is dropped; one image under
    two artists with the same label joins their works into one split; a vanished file is
    skipped and listed."""
    images = sorted((shared_data / "wikiart" / "Baroque").glob("*.jpg"))[:40]

    def info(path: Path) -> dict[str, str]:
        with Image.open(path) as img:
            phash = str(imagehash.phash(img))
        return {
            "path": str(path),
            "sha": hashlib.sha256(path.read_bytes()).hexdigest(),
            "ph": phash,
        }

    gone = tmp_path / "gone.jpg"
    shutil.copy(images[0], gone)
    rows = []
    for n, path in enumerate(images[1:]):
        # 13 artists; styles alternate by artist so each class has several artists.
        artist = f"artist:a{n % 13}"
        rows.append({"id": f"w{n:02d}", "artist": artist, "style": f"S{n % 13 % 2}", **info(path)})
    # w90: the image of w00 by another artist, another style -> both dropped.
    rows.append({**rows[0], "id": "w90", "artist": "artist:b1", "style": "S1"})
    # w91: the image of w01 by another artist, same style -> same split as artist a1.
    rows.append({**rows[1], "id": "w91", "artist": "artist:b2", "style": rows[1]["style"]})
    rows.append({**info(gone), "id": "w99", "artist": "artist:a5", "style": "S1"})
    gone.unlink()
    store.cypher(
        "UNWIND $rows AS r "
        "MERGE (a:Artist {id: r.artist}) MERGE (m:Movement {id: r.style}) SET m.name = r.style "
        "CREATE (w:Artwork {id: r.id, image_path: r.path, image_sha256: r.sha, image_phash: r.ph})"
        "-[:CREATED_BY {role: 'artist'}]->(a) "
        "CREATE (w)-[:IN_STYLE]->(m)",
        {"rows": rows},
        write=True,
    )
    summary = build_dataset(store, "hand", BuildOptions("artwork", min_per_class=2), tmp_path / "h")
    manifest = read_manifest(tmp_path / "h").set_index("artwork_id")
    assert "w00" not in manifest.index and "w90" not in manifest.index
    assert summary["dropped"]["label_conflicts"] == [
        {"image_sha256": rows[0]["sha"], "labels": ["S0", "S1"], "artwork_ids": ["w00", "w90"]}
    ]
    assert manifest.loc["w91", "split"] == manifest.loc["w01", "split"]
    a1 = manifest[manifest["artist_id"] == "artist:a1"]["split"].unique()
    assert list(a1) == [manifest.loc["w91", "split"]]
    assert summary["dropped"]["missing_images"] == [{"artwork_id": "w99", "image_path": str(gone)}]
    assert "w99" not in manifest.index


# --- determinism and the Dataset node ------------------------------------------------------


def test_same_graph_and_arguments_give_identical_bytes(
    wikiart: GraphStore, by_artist: Path, tmp_path: Path
) -> None:
    build_dataset(wikiart, "again", BuildOptions("artist", min_per_class=10), tmp_path / "again")
    for name in ("manifest.parquet", "manifest.csv", "classes.txt"):
        assert (tmp_path / "again" / name).read_bytes() == (by_artist / name).read_bytes(), name
    build_dataset(
        wikiart, "seed9", BuildOptions("artist", min_per_class=10, seed=9), tmp_path / "seed9"
    )
    other = read_manifest(tmp_path / "seed9")
    first = read_manifest(by_artist)
    assert list(other["artwork_id"]) == list(first["artwork_id"])
    assert list(other["split"]) != list(first["split"])  # the seed matters


def test_dataset_node_records_the_build(wikiart: GraphStore, by_artist: Path) -> None:
    summary = read_summary(by_artist)
    node = wikiart.cypher(
        "MATCH (d:Dataset {id: $id}) RETURN d.query AS query, d.query_hash AS hash, "
        "d.arguments AS arguments, d.classes AS classes, d.counts AS counts, "
        "d.created_at AS created_at, d.out_dir AS out_dir, d.manifest_sha256 AS digest",
        {"id": dataset_id("by-artist")},
    ).rows
    assert len(node) == 1
    node = node[0]
    assert node["hash"] == query_hash(node["query"]) == summary["query_hash"]
    assert "MEMBER_OF" in node["query"]
    assert json.loads(node["arguments"]) == {
        "label_via": "artist",
        "min_per_class": 10,
        "max_per_class": None,
        "split": [0.7, 0.15, 0.15],
        "seed": 0,
        "keep_attributed": False,
        "prefer_reviewed": True,
    }
    counts = read_manifest(by_artist)["label"].value_counts()
    assert node["classes"] == sorted(counts.index)
    assert [int(c) for c in node["counts"]] == [int(counts[c]) for c in node["classes"]]
    assert node["created_at"] == summary["created_at_ms"] > 1_700_000_000_000
    assert Path(node["out_dir"]) == by_artist.resolve()
    assert (
        node["digest"] == hashlib.sha256((by_artist / "manifest.parquet").read_bytes()).hexdigest()
    )


# --- bad input and the CLI -----------------------------------------------------------------


def test_empty_result_leaves_no_files(store: GraphStore, tmp_path: Path) -> None:
    store.cypher("CREATE (:Artist {id: 'artist:x'})", write=True)
    with pytest.raises(DatasetError, match="no artworks match"):
        build_dataset(store, "empty", BuildOptions("artist"), tmp_path / "empty")
    assert list(tmp_path.iterdir()) == []


def test_everything_dropped_leaves_no_files(wikiart: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no artworks left"):
        build_dataset(wikiart, "none", BuildOptions("artist", min_per_class=10**6), tmp_path / "n")
    assert list(tmp_path.iterdir()) == []


def test_unknown_dataset(wikiart: GraphStore, by_artist: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"unknown dataset 'nope'.*by-artist"):
        find_dataset(wikiart, "nope", tmp_path)
    assert find_dataset(wikiart, "by-artist", tmp_path) == by_artist.resolve()


def test_bad_arguments() -> None:
    assert parse_fractions("0.8, 0.1, 0.1") == (0.8, 0.1, 0.1)
    for text in ("0.7,0.3", "0.5,0.5,0.5", "a,b,c", "0,0.5,0.5", "-0.1,0.6,0.5"):
        with pytest.raises(DatasetError):
            parse_fractions(text)
    with pytest.raises(DatasetError):
        BuildOptions("artist", min_per_class=10, max_per_class=5).check()
    with pytest.raises(DatasetError):
        BuildOptions("artist").check() or build_dataset(
            None, "../x", BuildOptions("artist"), Path()
        )  # type: ignore[arg-type]


def test_near_duplicate_pairs_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**63, size=300, dtype=np.uint64)
    # Flip up to 6 random bits in copies of the first 100 hashes.
    near = base[:100].copy()
    for k in range(100):
        for bit in rng.choice(64, size=k % 7, replace=False):
            near[k] ^= np.uint64(1) << np.uint64(bit)
    values = np.concatenate([base, near])
    hashes = [f"{int(v):016x}" for v in values] + [None]
    brute = [
        (i, j)
        for i in range(len(values))
        for j in range(i + 1, len(values))
        if int(values[i] ^ values[j]).bit_count() <= NEAR_DUPLICATE_BITS
    ]
    assert near_duplicate_pairs(hashes) == brute
    assert len(brute) >= 60


def test_cli_build_and_show(wikiart: GraphStore, tmp_path: Path) -> None:
    env = {**wikiart.cli_env, "GRAPHKIT_DATA_DIR": str(tmp_path)}  # type: ignore[attr-defined]
    runner = CliRunner()
    built = runner.invoke(
        cli,
        ["dataset", "build", "cli-ds", "--label-via", "artist", "--max-per-class", "100"],
        env=env,
    )
    assert built.exit_code == 0, built.output
    folder = tmp_path / "datasets" / "cli-ds"
    assert (folder / "manifest.parquet").is_file() and (folder / "manifest.csv").is_file()
    assert read_manifest(folder)["label"].value_counts().max() == 100
    shown = runner.invoke(cli, ["dataset", "show", "cli-ds"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "dataset cli-ds:" in shown.output and "artists in more than one movement" in shown.output
    with Image.open(folder / "class_counts.png") as chart:
        assert chart.format == "PNG" and chart.width > 100
    missing = runner.invoke(cli, ["dataset", "show", "nope"], env=env)
    assert missing.exit_code != 0 and isinstance(missing.exception, DatasetError)
