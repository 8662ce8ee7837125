"""A model directory: weight file(s) plus model.json, which records what the model is, how it
was trained and the sha256 of every weight file, checked on every load."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphkit.errors import ModelError
from graphkit.settings import PROJECT_ROOT

META_FILE = "model.json"
FORMAT_VERSION = 1


@dataclass
class ModelMeta:
    task: str  # "detector" or "movement"
    kind: str  # e.g. "svm-dct", "gfnet", or a backbone name
    classes: list[str]
    weights: dict[str, str]  # file name -> sha256
    config: dict[str, Any] = field(default_factory=dict)
    preprocessing: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    dataset_id: str | None = None
    version: int = FORMAT_VERSION
    created_at: str = ""
    code_version: str = ""
    path: Path | None = None  # the directory it was loaded from (not saved)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        return data

    def file(self, name: str) -> Path:
        if self.path is None or name not in self.weights:
            raise ModelError(f"model has no weight file {name!r}")
        return self.path / name


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_version() -> str:
    """The package version plus the git commit when running from a checkout."""
    from graphkit import __version__

    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__


def save_model_dir(out_dir: Path, meta: ModelMeta) -> Path:
    """Hash the weight files already written in OUT_DIR and write model.json beside them."""
    out_dir = Path(out_dir)
    for name in meta.weights:
        target = out_dir / name
        if not target.is_file():
            raise ModelError(f"{target}: weight file was not written")
        meta.weights[name] = sha256_file(target)
    meta.created_at = meta.created_at or datetime.now(UTC).isoformat(timespec="seconds")
    meta.code_version = meta.code_version or code_version()
    scratch = out_dir / f".{META_FILE}.tmp"
    scratch.write_text(json.dumps(meta.to_json(), indent=2, sort_keys=True) + "\n", "utf-8")
    os.replace(scratch, out_dir / META_FILE)
    meta.path = out_dir
    return out_dir / META_FILE


def load_model_dir(path: Path, expect_task: str | None = None) -> ModelMeta:
    """Read PATH/model.json and verify every weight file's sha256; ModelError names the file."""
    path = Path(path)
    meta_path = path / META_FILE
    if not path.is_dir():
        raise ModelError(f"{path}: no such model directory")
    if not meta_path.is_file():
        raise ModelError(f"{meta_path}: missing; {path} is not a model directory")
    try:
        data = json.loads(meta_path.read_text("utf-8"))
        meta = ModelMeta(**data)
    except (json.JSONDecodeError, TypeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{meta_path}: unreadable model metadata ({exc})") from exc
    if expect_task is not None and meta.task != expect_task:
        raise ModelError(f"{meta_path}: a {meta.task} model, not a {expect_task} model")
    if not meta.weights:
        raise ModelError(f"{meta_path}: lists no weight files")
    for name, expected in meta.weights.items():
        weight = path / name
        if Path(name).name != name:
            raise ModelError(f"{meta_path}: weight file name {name!r} leaves the directory")
        if not weight.is_file():
            raise ModelError(f"{weight}: weight file missing")
        if sha256_file(weight) != expected:
            raise ModelError(f"{weight}: sha256 does not match model.json (file changed)")
    meta.path = path
    return meta
