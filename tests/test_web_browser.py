# ruff: noqa: F811  (pytest fixtures imported from helper modules are parameters here)
"""The web page in a real browser: `graphkit serve` over the API's test graph, and Debian's
chromium driven headless by playwright-core (tests/browser/journey.cjs) through a visit:
search, open an artwork, follow a similar artwork, open the artist, upload an image and see
its prediction. The screenshots are kept in the test's folder (and in $GRAPHKIT_SCREENSHOTS
when set). The page does not depend on the engine, so this runs on the embedded one only."""

from __future__ import annotations

import json
import os
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
from tests.api_helpers import TOKEN, api_graph, models_root  # noqa: F401
from tests.detector_helpers import image_graph, models, slice_dir  # noqa: F401
from tests.helpers import free_port
from tests.movement_helpers import lite0, slice_data  # noqa: F401

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


@pytest.fixture
def served(
    api_graph: GraphStore,
    engine_kind: str,
    shared_data: Path,
    models_root: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """`graphkit serve` on a free port over the API's graph; its base URL."""
    if engine_kind != "falkordb-embedded":
        pytest.skip("the page is the same on every engine: tested on the embedded one")
    missing = _missing()
    if missing:
        pytest.skip(missing)
    port = free_port()
    env = {
        **os.environ,
        **api_graph.cli_env,  # type: ignore[attr-defined]
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


def test_a_visit_in_a_real_browser(served: str, shared_data: Path, tmp_path: Path) -> None:
    shots = Path(os.environ.get("GRAPHKIT_SCREENSHOTS") or tmp_path / "screenshots")
    upload = sorted((shared_data / "aic_paintings" / "images").glob("*.jpg"))[0]
    done = subprocess.run(
        ["node", str(BROWSER_DIR / "journey.cjs"), served, str(shots), str(upload), SEARCH],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROMIUM": CHROMIUM},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["console_errors"] == []
    assert seen["browse_cards"] == 24  # a full first page
    assert 0 < seen["search_cards"] <= 24 and seen["search_thumbnails"] >= 1
    assert seen["artwork_title"] == seen["search_first"]
    assert seen["similar_cards"] == 12 and seen["similar_thumbnails"] >= 1
    assert seen["graph_nodes"] >= 2  # the artist and a neighbour
    assert seen["followed_title"] == seen["similar_title"] != seen["artwork_title"]
    assert seen["artist_name"]
    assert seen["verdict"] in ("Probably AI-generated", "Probably made by a person")
    assert seen["bars"] == 2 + 4  # two detectors, four movements (the tiny model's classes)
    for name in ("1-search", "2-artwork", "3-similar-artwork", "4-artist", "5-prediction"):
        with Image.open(shots / f"{name}.png") as shot:
            assert shot.size == (1280, 900)
            # A page with content, not a blank one: many distinct colours.
            assert len(shot.convert("RGB").getcolors(1 << 24) or []) > 500
