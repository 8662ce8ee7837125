"""The web page in a real browser: `graphkit serve` over the API's test graph, and Debian's
chromium driven headless by playwright-core (tests/browser/journey.cjs) through a visit:
search, open an artwork, follow a similar artwork, open the artist, upload an image and see
its prediction; and over a graph the models scored (tests/browser/review.cjs), a curator's
visit to the review queue: sign in with the token, review an item, see it leave the queue,
browse by predicted label with the badges; and over real records that may be one person
(tests/browser/identity.cjs), the identity review: a merge and a separation decided on the
page, stored in the graph. The screenshots are kept in the test's folder (and
in $GRAPHKIT_SCREENSHOTS when set). The page does not depend on the engine, so this runs on
the embedded one only."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from graphkit.store import GraphStore
from tests.api_helpers import TOKEN
from tests.helpers import count, free_port
from tests.test_identity_review import (
    CADERE,
    CADERE_SLUG,
    STAMOS,
    STAMOS_SLUG,
    copy_identity_sources,
    populate_both,
)

pytestmark = pytest.mark.slow  # a real browser: the full suite's

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SEARCH = "Monet"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if shutil.which("node") is None:
        return "no node to run playwright-core"
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (cd tests/browser && npm ci)"
    return None


def _page_engine_only(engine_kind: str) -> None:
    if engine_kind != "falkordb-embedded":
        pytest.skip("the page is the same on every engine: tested on the embedded one")
    missing = _missing()
    if missing:
        pytest.skip(missing)


@contextlib.contextmanager
def serving(
    store: GraphStore, shared_data: Path, models_root: Path, tmp_path: Path
) -> Iterator[str]:
    """`graphkit serve` on a free port over STORE's graph; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        **store.cli_env,  # type: ignore[attr-defined]
        "GRAPHKIT_DATA_DIR": str(tmp_path / "data"),
        "GRAPHKIT_SHARED_DATA": str(shared_data),
        "GRAPHKIT_MODELS_DIR": str(models_root),
        "GRAPHKIT_API_TOKEN": TOKEN,
    }
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "graphkit.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"graphkit serve did not start: {(tmp_path / 'serve.log').read_text()}"
                    )
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def served(
    api_graph: GraphStore,
    engine_kind: str,
    shared_data: Path,
    models_root: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """`graphkit serve` over the API's graph."""
    _page_engine_only(engine_kind)
    with serving(api_graph, shared_data, models_root, tmp_path) as base:
        yield base


@pytest.fixture
def served_scored(
    request: pytest.FixtureRequest,
    engine_kind: str,
    shared_data: Path,
    models_root: Path,
    tmp_path: Path,
) -> Iterator[tuple[str, GraphStore]]:
    """`graphkit serve` over a graph the models scored (built only where the page is tested)."""
    _page_engine_only(engine_kind)
    store = request.getfixturevalue("scored_graph")
    with serving(store, shared_data, models_root, tmp_path) as base:
        yield base, store


def _screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("GRAPHKIT_SCREENSHOTS") or tmp_path / "screenshots")


def _journey(script: str, *args: str) -> dict:
    """Run a playwright-core journey; what it saw."""
    done = subprocess.run(
        ["node", str(BROWSER_DIR / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROMIUM": CHROMIUM},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _assert_shots(shots: Path, names: tuple[str, ...]) -> None:
    for name in names:
        with Image.open(shots / f"{name}.png") as shot:
            assert shot.size == (1280, 900)
            # A page with content, not a blank one: many distinct colours.
            assert len(shot.convert("RGB").getcolors(1 << 24) or []) > 500


def test_a_visit_in_a_real_browser(served: str, shared_data: Path, tmp_path: Path) -> None:
    shots = _screenshots(tmp_path)
    upload = sorted((shared_data / "aic_paintings" / "images").glob("*.jpg"))[0]
    seen = _journey("journey.cjs", served, str(shots), str(upload), SEARCH)
    assert seen["console_errors"] == []
    assert seen["browse_cards"] == 24  # a full first page
    assert 0 < seen["search_cards"] <= 24 and seen["search_thumbnails"] >= 1
    assert seen["artwork_title"] == seen["search_first"]
    assert seen["similar_cards"] == 12 and seen["similar_thumbnails"] >= 1
    assert seen["graph_nodes"] >= 2  # the artist and a neighbour
    assert seen["followed_title"] == seen["similar_title"] != seen["artwork_title"]
    assert seen["artist_name"]
    assert seen["verdict"] in ("Probably AI-generated", "Probably made by a person")
    assert seen["bars"] == 4 + 4  # four detectors, four movements (the tiny model's classes)
    _assert_shots(shots, ("1-search", "2-artwork", "3-similar-artwork", "4-artist", "5-prediction"))


def test_the_review_queue_in_a_real_browser(
    served_scored: tuple[str, GraphStore], tmp_path: Path
) -> None:
    base, store = served_scored
    shots = _screenshots(tmp_path)
    seen = _journey("review.cjs", base, str(shots), TOKEN)
    assert seen["console_errors"] == []
    assert seen["queue_before_sign_in"] == 0  # nothing shown until signed in
    assert seen["queue"] == 20 and seen["same_before"] >= 1
    assert seen["same_after"] == 0 and seen["queue_after"] == 20 - seen["same_before"]
    assert seen["same_after_reload"] == 0  # the server's queue no longer has it
    assert seen["title"] in seen["notice"] and seen["label"] in seen["notice"]
    stored = store.cypher(
        "MATCH (r:Review {by: 'playwright'})-[:ABOUT]->(t) "
        "RETURN t.id AS node, r.label AS label, r.task AS task, r.note AS note"
    ).rows
    assert stored == [
        {
            "node": seen["node"],
            "label": seen["label"],
            "task": seen["task"],
            "note": "checked in the browser",
        }
    ]
    by_people = store.cypher(
        "MATCH (:Prediction {current: true, label: 'human'})-[:ABOUT]->(a:Artwork) "
        "WHERE a.image_path IS NOT NULL RETURN count(DISTINCT a) AS n"
    ).value()
    assert seen["predicted_select"] == "human"
    assert seen["predicted_cards"] == min(by_people, 24) > 0
    # Each card: the default detector's P(AI-generated) ("AI 0.12") and the predicted movement.
    assert seen["ai_badges"] == seen["predicted_cards"] == seen["movement_badges"]
    assert re.fullmatch(r"AI [01]\.\d\d", seen["first_badge"]), seen["first_badge"]
    assert seen["prediction_rows"] == 5  # four detectors and the movement classifier
    _assert_shots(
        shots,
        (
            "6-review-sign-in",
            "7-review-queue",
            "8-reviewed",
            "9-predicted-human",
            "10-artwork-predictions",
        ),
    )


def test_the_identity_review_in_a_real_browser(
    store: GraphStore, engine_kind: str, shared_data: Path, tmp_path: Path
) -> None:
    _page_engine_only(engine_kind)
    populate_both(store, copy_identity_sources(shared_data, tmp_path / "sources"))
    shots = _screenshots(tmp_path)
    with serving(store, shared_data, tmp_path / "models", tmp_path) as base:
        seen = _journey("identity.cjs", base, str(shots), TOKEN)
    assert seen["console_errors"] == []
    assert seen["pairs_before_sign_in"] == 0  # nothing shown until signed in
    assert seen["pairs"] == 2 and seen["people"] == 4  # Stamos and Cadere, two records each
    assert seen["thumbnails"] == 6  # WikiArt's three works of each (Tate's have no image)
    same, different = seen["same"], seen["different"]
    decided_pairs = {(same["one"], same["other"]), (different["one"], different["other"])}
    assert decided_pairs == {(STAMOS_SLUG, STAMOS), (CADERE_SLUG, CADERE)}
    assert same["still_shown"] == different["still_shown"] == 0
    assert same["notice"].startswith("Merged ") and different["notice"].endswith("apart.")
    assert seen["pairs_after"] == seen["pairs_after_reload"] == 0
    decided = store.cypher(
        "MATCH (d:IdentityDecision {who: 'playwright'}) "
        "RETURN d.verdict AS verdict, d.one AS one, d.other AS other, d.note AS note ORDER BY d.at"
    ).rows
    assert decided == [
        {"verdict": "same", **{k: same[k] for k in ("one", "other")},
         "note": "one painter, two spellings"},
        {"verdict": "different", **{k: different[k] for k in ("one", "other")},
         "note": "checked in the browser"},
    ]  # fmt: skip
    assert count(store, "(a:Artist {id: $id})", {"id": same["other"]}) == 0  # merged away
    kept = [different["one"], different["other"]]
    assert count(store, "(a:Artist) WHERE a.id IN $ids", {"ids": kept}) == 2
    assert count(store, "()-[:POSSIBLY_SAME]->()") == 0
    _assert_shots(shots, ("11-identity-pairs", "12-identity-decided"))
