"""Keep the ML libraries offline: call `go_offline(data_dir)` before importing torch, timm or
ultralytics, so that none of them checks for updates, downloads weights or fonts, or writes
into the home directory."""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_FLAGS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "YOLO_OFFLINE": "1",  # else ultralytics probes DNS at import
    "DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def go_offline(data_dir: str | Path) -> dict[str, str]:
    """Set the environment that keeps model libraries offline; their caches live in
    DATA_DIR/ml-cache. Returns what was set. Values a user already set are kept."""
    cache = Path(data_dir) / "ml-cache"
    dirs = {
        "TORCH_HOME": cache / "torch",
        "HF_HOME": cache / "huggingface",
        "YOLO_CONFIG_DIR": cache / "ultralytics",
        "MPLCONFIGDIR": cache / "matplotlib",
    }
    applied: dict[str, str] = {}
    for name, value in OFFLINE_FLAGS.items():
        applied[name] = os.environ.setdefault(name, value)
    for name, folder in dirs.items():
        if name not in os.environ:
            folder.mkdir(parents=True, exist_ok=True)
            os.environ[name] = str(folder)
        applied[name] = os.environ[name]
    return applied
