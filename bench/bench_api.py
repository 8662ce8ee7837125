"""Load on `graphkit serve`: wrk, 50 connections for 30 s, a mix of list, detail, search and
similar requests, against the fully loaded graph on each engine; then the same with the
database stopped and started again mid-run.

Run: python bench/bench_api.py [--engines falkordb,neo4j] [--model DIR] [--duration 30]

The graph is every source of ../shared/data with analytics and an embedding on every image
(the movement model of --model, default data/models/movement-efficientnet-lite0; without one a
small one is trained first). It is kept in data/bench-api/ and reused when complete, so only
the first run pays for populating and embedding (the Neo4j graph gets its vectors copied from
the embedded one). Targets: no errors, p99 under 100 ms, at least 500 requests/s. The
machine may be shared: the load average is printed beside every figure.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from common import ROOT, SHARED, arguments

from graphkit.engines.embedded import EmbeddedServer
from graphkit.neo4j_local import LocalNeo4j
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store

BENCH_DIR = ROOT / "data" / "bench-api"
LUA = Path(__file__).resolve().parent / "api_mix.lua"
DEFAULT_MODEL = ROOT / "data" / "models" / "movement-efficientnet-lite0"
PATHS_PER_KIND = 200
COPY_BATCH = 500


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing wrk (apt)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    return found


def graphkit(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "graphkit.cli", *args], env=env, check=True)


def ensure_model(model: Path, env: dict[str, str]) -> Path:
    if (model / "model.json").is_file():
        return model
    print(f"no movement model at {model}: training a small one", flush=True)
    graphkit("dataset", "build", "styles", "--label-via", "artwork", env=env)
    graphkit(
        "train", "movement", "--per-class", "60", "--epochs", "2", "--out", str(model), env=env
    )
    return model


def complete(store: GraphStore) -> bool:
    counts = {r["label"]: r["count"] for r in store.read("stats/label_counts").rows}
    embedded = store.cypher(
        "MATCH (a:Artwork) WHERE a.embedding IS NOT NULL RETURN count(a) AS n"
    ).value()
    ranked = store.cypher("MATCH (a:Artist) WHERE a.pagerank IS NOT NULL RETURN count(a) AS n")
    return counts.get("Artwork", 0) > 80_000 and embedded > 9000 and ranked.value() > 100


def build(store: GraphStore, model: Path, env: dict[str, str], source: GraphStore | None) -> None:
    """Populate, analyse and embed STORE (vectors copied from SOURCE when given, else made by
    MODEL, trained first on STORE's graph when it is missing)."""
    from graphkit.analytics.pipeline import run_analytics
    from graphkit.populate import populate_all

    start = time.perf_counter()
    populate_all(store, SHARED, progress=False, reports_dir=BENCH_DIR / "reports")
    run_analytics(store)
    print(f"  populated and analysed in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    if source is None:
        from ml.embeddings.embed import embed_graph
        from ml.movement.onnx_model import OnnxMovementModel

        model = ensure_model(model, env)
        report = embed_graph(store, OnnxMovementModel.load(model))
        print(f"  embedded {report.stored} images in {report.seconds:.0f} s", flush=True)
    else:
        copy_embeddings(source, store)
        print(f"  embeddings copied in {time.perf_counter() - start:.0f} s", flush=True)


def copy_embeddings(source: GraphStore, target: GraphStore) -> None:
    from ml.embeddings.vector_index import create_vector_indexes, drop_vector_indexes

    drop_vector_indexes(target)
    dimension, offset = 0, 0
    while True:
        batch = source.cypher(
            "MATCH (n) WHERE (n:Artwork OR n:GeneratedImage) AND n.embedding IS NOT NULL "
            "WITH n ORDER BY n.id SKIP $offset LIMIT $limit "
            "RETURN n.id AS id, n.embedding AS embedding, n.embedding_model AS model",
            {"offset": offset, "limit": COPY_BATCH},
        ).rows
        if not batch:
            break
        rows = [{"id": r["id"], "embedding": [float(v) for v in r["embedding"]]} for r in batch]
        target.write("embeddings/set_embeddings", rows=rows, model=batch[0]["model"])
        dimension, offset = len(rows[0]["embedding"]), offset + COPY_BATCH
    create_vector_indexes(target, dimension)


def await_falkordb_indexes(store: GraphStore, timeout_s: float = 600) -> None:
    """FalkorDB rebuilds its indexes in the background after a start: measure once built."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        states = store.cypher("CALL db.indexes() YIELD status RETURN status").rows
        if not any("UNDER CONSTRUCTION" in str(r["status"]) for r in states):
            return
        time.sleep(1)


def request_paths(store: GraphStore, seed: int = 0) -> list[str]:
    """A shuffled mix as the page asks: browse pages (with an image, as the page does by
    default), a movement's works, artwork and artist pages, searches, similar artworks."""
    rng = random.Random(seed)
    artworks = [
        r["id"]
        for r in store.cypher(
            "MATCH (a:Artwork) WHERE a.embedding IS NOT NULL RETURN a.id AS id ORDER BY id"
        ).rows
    ]
    artists = [r["id"] for r in store.cypher("MATCH (a:Artist) RETURN a.id AS id ORDER BY id").rows]
    movements = [
        r["id"]
        for r in store.cypher(
            "MATCH (m:Movement)<-[:IN_STYLE]-() RETURN DISTINCT m.id AS id ORDER BY id"
        ).rows
    ]
    titles = [
        r["t"]
        for r in store.cypher(
            "MATCH (a:Artwork) WHERE a.title IS NOT NULL RETURN a.title AS t ORDER BY a.id"
        ).rows
    ]
    words = sorted({w for t in titles for w in t.split() if w.isalpha() and len(w) > 3})
    paths = []
    for _ in range(PATHS_PER_KIND):
        paths += [
            f"/api/artworks?has_image=true&limit=24&offset={rng.randrange(0, 2000, 24)}",
            f"/api/artworks?movement={quote(rng.choice(movements))}&has_image=true",
            f"/api/artworks/{quote(rng.choice(artworks), safe='')}",
            f"/api/artists/{quote(rng.choice(artists), safe='')}",
            f"/api/artworks?q={quote(rng.choice(words))}",
            f"/api/artworks/{quote(rng.choice(artworks), safe='')}/similar?k=12",
        ]
    rng.shuffle(paths)
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int) -> Iterator[str]:
    port = free_port()
    args = ["serve", "--port", str(port), "--workers", str(workers)]
    log = open(BENCH_DIR / "serve.log", "a")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "graphkit.cli", *args], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/api/health", timeout=2) as answer,
            ):
                if answer.status == 200:
                    break
            time.sleep(0.5)
        else:
            sys.exit(f"graphkit serve did not answer; see {BENCH_DIR / 'serve.log'}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def wrk(base: str, paths: list[str], args, extra: float = 0.0) -> dict:  # type: ignore[no-untyped-def]
    listing = BENCH_DIR / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    done = subprocess.run(
        [
            ensure_wrk(),
            f"-t{args.wrk_threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            base,
        ],
        env={**os.environ, "PATHS": str(listing)},
        capture_output=True,
        text=True,
        timeout=args.duration + 60 + extra,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["requests_per_s"] = result["requests"] / result["seconds"]
    return result


def warm(base: str, paths: list[str]) -> None:
    """Each worker imports the model code and fills caches before it is measured."""
    for path in paths[:60]:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + path, timeout=30).read()


def report(engine: str, what: str, result: dict) -> None:
    print(
        f"{engine:10s} {what:26s} {result['requests']:7d} requests  "
        f"{result['requests_per_s']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
        f"p99 {result['p99_ms']:7.1f} ms  non-2xx {result['non_2xx']:5d}  "
        f"socket errors {result['socket_errors']:3d}  ({load()})",
        flush=True,
    )


def restart_mid_run(base: str, paths: list[str], args, stop, start) -> None:  # type: ignore[no-untyped-def]
    """wrk for DURATION seconds; the database is stopped a third of the way in and started
    again 5 s later. Failures must lie inside that window (a second either side: wrk's clock
    has whole seconds)."""
    window: dict[str, float] = {}

    def fault() -> None:
        time.sleep(args.duration / 3)
        window["down"] = time.time()
        stop()
        time.sleep(5)
        start()
        window["up"] = time.time()

    thread = threading.Thread(target=fault)
    thread.start()
    result = wrk(base, paths, args, extra=120)
    thread.join()
    report(args.engine_name, "database restarted", result)
    inside = (
        result["non_2xx"] == 0
        or window["down"] - 1
        <= result["first_failure"]
        <= result["last_failure"]
        <= window["up"] + 2
    )
    print(
        f"{'':10s} down {window['up'] - window['down']:.1f} s; failures "
        f"{'only while it was down' if inside else 'OUTSIDE the down time'}",
        flush=True,
    )


def bench_falkordb(args, model: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "GRAPHKIT_DATA_DIR": str(BENCH_DIR), "GRAPHKIT_GRAPH": ""}
    settings = Settings.from_env(env)
    # Held open throughout: the embedded server stops when its last client leaves, and a
    # restart rebuilds the full-text indexes in the background.
    with open_store(settings) as store:
        if not complete(store):
            print("building the embedded bench graph (first run only)", flush=True)
            store.cypher("MATCH (n) DETACH DELETE n", write=True)
            build(store, model, env, None)
        paths = request_paths(store)
        await_falkordb_indexes(store)
        args.engine_name = "falkordb"
        with serving(env, args.workers) as base:
            warm(base, paths)
            report("falkordb", "mix, 50 connections", wrk(base, paths, args))
            server = EmbeddedServer(BENCH_DIR / "graph")
            # Stopped under the app: the first request that finds it gone is a 503, and the
            # app's next one starts it again from its files (the `start` here is a fallback).
            restart_mid_run(base, paths, args, server.stop, server.ensure_started)


def bench_neo4j(args, model: Path) -> None:  # type: ignore[no-untyped-def]
    local = LocalNeo4j(BENCH_DIR / "neo4j")
    port = free_port()
    server = local.start(port=port)
    try:
        env = {
            **os.environ,
            "GRAPHKIT_DATA_DIR": str(BENCH_DIR),
            "GRAPHKIT_GRAPH": server.uri,
            "NEO4J_PASSWORD": server.password,
        }
        with open_store(Settings.from_env(env)) as store:
            if not complete(store):
                print("building the Neo4j bench graph (first run only)", flush=True)
                with open_store(Settings.from_env({"GRAPHKIT_DATA_DIR": str(BENCH_DIR)})) as src:
                    build(store, model, env, src)
            paths = request_paths(store)
        args.engine_name = "neo4j"
        with serving(env, args.workers) as base:
            warm(base, paths)
            report("neo4j", "mix, 50 connections", wrk(base, paths, args))
            restart_mid_run(base, paths, args, local.stop, lambda: local.start(port=port))
    finally:
        local.stop()


def main() -> int:
    parser = arguments(__doc__ or "")
    parser.add_argument("--engines", default="falkordb,neo4j", help="comma-separated")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="graphkit serve --workers")
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    model = args.model
    print(f"bench_api: {load()}; the machine may be shared with other work", flush=True)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if "falkordb" in engines:
        bench_falkordb(args, model)
    if "neo4j" in engines:
        bench_neo4j(args, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
