"""`graphkit serve`: the API and the web page under gunicorn."""

from __future__ import annotations

import os
from typing import Any

import click

from graphkit.settings import Settings

DEFAULT_THREADS = 8


def gunicorn_options(host: str, port: int, workers: int, threads: int, timeout: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads per worker: keep-alive connections and requests waiting on the graph do
        # not block the worker. gthread's heartbeat runs whatever its request threads do, so
        # `timeout` only catches a worker that stopped entirely: a request's own time is
        # bounded inside the app (GRAPHKIT_QUERY_TIMEOUT, upload limits).
        "worker_class": "api.worker.JsonErrorWorker",
        "threads": threads,
        "timeout": timeout,
        # gunicorn's own limits sit above the app's (api.guard: 4,096-character URLs, 16 KiB
        # of headers), which answer first in the API's JSON; gunicorn's answers are JSON too.
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_worker_init": warm_up,
    }


def warm_up(_worker: Any) -> None:
    """Import the similar-artworks code (it pulls in torch, ~2 s) when a worker starts, not
    in its first request."""
    import ml.embeddings.embed  # noqa: F401


def run_gunicorn(options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class GraphkitApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Each worker builds its own app (its own graph connection and models).
            from api import create_app

            return create_app()

    GraphkitApplication().run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="the number of cores, at most 4",
    help="Worker processes (each holds its own graph connection and models).",
)
@click.option("--threads", type=click.IntRange(1, 64), default=DEFAULT_THREADS, show_default=True)
@click.option(
    "--timeout",
    type=click.IntRange(5, 3600),
    default=60,
    show_default=True,
    help="Seconds before a stuck worker is replaced.",
)
@click.pass_obj
def serve(
    settings: Settings, host: str, port: int, workers: int, threads: int, timeout: int
) -> None:
    """Serve the HTTP API (/api/...) and the web page (/) under gunicorn.

    Settings come from the environment: the graph (GRAPHKIT_GRAPH, ...) and GRAPHKIT_API_TOKEN
    (writes), GRAPHKIT_SHARED_DATA (images), GRAPHKIT_MODELS_DIR, GRAPHKIT_MAX_UPLOAD_MB,
    GRAPHKIT_MAX_IMAGE_PIXELS.
    """
    from graphkit.schema import apply_schema
    from graphkit.store import open_store

    with open_store(settings) as store:
        # The search needs the full-text indexes; the rest is there already after populate.
        apply_schema(store)
        click.echo(f"graph: {store.engine.describe()}", err=True)
        click.echo(f"serving http://{host}:{port}/ (API at /api, {workers} workers)", err=True)
        # The store stays open while gunicorn runs: the embedded server then keeps running
        # (and keeps its indexes built) however workers come and go.
        run_gunicorn(gunicorn_options(host, port, workers, threads, timeout))
