"""The API's settings: the graph settings (graphkit.settings) plus what only the web app needs.

GRAPHKIT_API_TOKEN          bearer token for writes; without one every write is refused
GRAPHKIT_SHARED_DATA        the shared data directory the graph's image paths point into
                            (default ../shared/data beside the project)
GRAPHKIT_MODELS_DIR         trained models (default <data dir>/models)
GRAPHKIT_MAX_UPLOAD_MB      largest upload accepted by POST /api/predict (default 20)
GRAPHKIT_MAX_IMAGE_PIXELS   largest image, width x height, decoded from an upload (default 40M)
GRAPHKIT_API_CONNECT_TIMEOUT  seconds to wait for the graph before answering 503 (default 3)
GRAPHKIT_QUERY_TIMEOUT      seconds one query may run (the engine stops it: 503); the answer
                            is waited for 5 s longer before the database counts as hung
                            (default 30 for the API)
GRAPHKIT_MAX_PREDICTIONS    uploads scored at once by one worker; more get 429 (default 2)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from graphkit.errors import ConfigError
from graphkit.settings import PROJECT_ROOT, Settings, seconds

DEFAULT_MAX_UPLOAD_MB = 20.0
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_CONNECT_TIMEOUT_S = 3.0
DEFAULT_QUERY_TIMEOUT_S = 30.0
DEFAULT_MAX_PREDICTIONS = 2  # each decodes an image and runs every model: memory and cores
MAX_PAGE_SIZE = 100  # the hard cap on `limit` of every list endpoint


def default_shared_data() -> Path:
    return PROJECT_ROOT.parent / "shared" / "data"


def _number(env: dict[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a number") from exc
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum:g}")
    return value


@dataclass(frozen=True)
class ApiSettings:
    graph: Settings
    shared_data_dir: Path = field(default_factory=default_shared_data)
    models_dir: Path | None = None  # None: <data dir>/models
    token: str = field(default="", repr=False)
    max_upload_bytes: int = int(DEFAULT_MAX_UPLOAD_MB * 1024 * 1024)
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    max_predictions: int = DEFAULT_MAX_PREDICTIONS

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ApiSettings:
        env = dict(os.environ if env is None else env)
        graph = Settings.from_env(env)
        timeout = _number(
            env, "GRAPHKIT_API_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT_S, minimum=0.1
        )
        upload_mb = _number(env, "GRAPHKIT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB, minimum=0.001)
        pixels = _number(env, "GRAPHKIT_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS, minimum=1)
        predictions = _number(env, "GRAPHKIT_MAX_PREDICTIONS", DEFAULT_MAX_PREDICTIONS, minimum=1)
        query_timeout = seconds(env, "GRAPHKIT_QUERY_TIMEOUT", DEFAULT_QUERY_TIMEOUT_S)
        models = env.get("GRAPHKIT_MODELS_DIR")
        # Pasted tokens often end in a newline; whitespace can never be sent in the header.
        token = env.get("GRAPHKIT_API_TOKEN", "").strip()
        if any(c.isspace() for c in token):
            raise ConfigError("GRAPHKIT_API_TOKEN holds whitespace, which no client can send")
        return cls(
            graph=replace(graph, connect_timeout_s=timeout, query_timeout_s=query_timeout),
            shared_data_dir=Path(env.get("GRAPHKIT_SHARED_DATA") or default_shared_data()),
            models_dir=Path(models) if models else None,
            token=token,
            max_upload_bytes=int(upload_mb * 1024 * 1024),
            max_image_pixels=int(pixels),
            max_predictions=int(predictions),
        )

    @property
    def models_root(self) -> Path:
        return self.models_dir or self.graph.data_dir / "models"

    @property
    def media_roots(self) -> dict[str, Path]:
        """URL prefix under /media -> the directory it serves; nothing outside these is served."""
        return {
            "shared": self.shared_data_dir.resolve(),
            "data": self.graph.data_dir.resolve(),
        }

    @property
    def thumbnail_dir(self) -> Path:
        return self.graph.data_dir / "thumbnails"
