"""The model registry in the graph: one Model node per model version.

A version is a name (default TASK-KIND, e.g. detector-svm-dct) and the sha256 of its weights
(one digest over every weight file's sha256); its id is built from both, so registering the
same weights again changes nothing, and new weights under the same name get the next version
number. Metrics and config are JSON strings (neither engine stores maps). Training registers
the model it wrote; `graphkit models register DIR` registers one trained before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import ModelError
from graphkit.predictions.scope import ModelVersion
from graphkit.rowhash import digest
from graphkit.store import GraphStore
from ml.artifacts import ModelMeta, load_model_dir


@dataclass(frozen=True)
class ModelRecord:
    id: str
    name: str
    version: int
    task: str
    kind: str
    sha256: str
    path: Path
    classes: list[str]
    dataset_id: str | None = None
    current_predictions: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ModelRecord:
        return cls(
            row["id"],
            row["name"],
            int(row["version"]),
            row["task"],
            row["kind"],
            row["sha256"],
            Path(row["path"]),
            list(row["classes"] or []),
            row.get("dataset_id"),
            int(row.get("current_predictions") or 0),
        )

    @property
    def version_ref(self) -> ModelVersion:
        return ModelVersion(self.id, self.name, self.version)

    def label(self) -> str:
        return f"{self.name} v{self.version}"


def weights_sha256(meta: ModelMeta) -> str:
    """One digest for every weight file of the model (their sha256s, by file name)."""
    listing = "".join(f"{name}\t{sha}\n" for name, sha in sorted(meta.weights.items()))
    return hashlib.sha256(listing.encode()).hexdigest()


def default_name(meta: ModelMeta) -> str:
    """detector-svm-dct, movement-efficientnet-lite0, ...; the ensemble is the `detector`."""
    if meta.task == "detector" and meta.kind == "ensemble":
        return "detector"
    return f"{meta.task}-{meta.kind}"


def model_id(name: str, sha256: str) -> str:
    return f"model:{name}:{sha256[:16]}"


def _props(meta: ModelMeta, sha256: str) -> dict[str, Any]:
    dataset = meta.config.get("dataset") if isinstance(meta.config, dict) else None
    return {
        "task": meta.task,
        "kind": meta.kind,
        "sha256": sha256,
        "weights": json.dumps(meta.weights, sort_keys=True),
        "classes": list(meta.classes),
        "metrics": json.dumps(meta.metrics, sort_keys=True, default=str),
        "config": json.dumps(meta.config, sort_keys=True, default=str),
        "config_sha256": digest(meta.config),
        "dataset_id": meta.dataset_id,
        "dataset_manifest_sha256": (dataset or {}).get("manifest_sha256"),
        "trained_at": meta.created_at,
        "code_version": meta.code_version,
        "path": str(Path(meta.path or ".").resolve()),
    }


def register_model(
    store: GraphStore, model_dir: Path, name: str | None = None
) -> tuple[ModelRecord, bool]:
    """Register the model in MODEL_DIR (its files are verified first); returns its record and
    whether this registered a new version."""
    meta = load_model_dir(model_dir)
    name = name or default_name(meta)
    sha = weights_sha256(meta)
    row = store.write(
        "models/register_model", id=model_id(name, sha), model=name, props=_props(meta, sha)
    ).rows[0]
    record = find_version(store, name, int(row["version"]))
    return record, bool(row["created"])


def registered(store: GraphStore, name: str | None = None) -> list[dict[str, Any]]:
    """Every version (of NAME, or of every model), oldest first, as plain rows."""
    return store.read("models/list_models", model=name).rows


def find_version(store: GraphStore, name: str, version: int) -> ModelRecord:
    rows = [r for r in registered(store, name) if int(r["version"]) == version]
    if not rows:
        raise ModelError(f"no model {name} v{version} in the registry")
    return ModelRecord.from_row(rows[0])


def latest(store: GraphStore, name: str) -> ModelRecord:
    rows = registered(store, name)
    if not rows:
        known = sorted({r["name"] for r in registered(store)})
        hint = f"; registered: {', '.join(known)}" if known else "; none is registered"
        raise ModelError(f"no model named {name!r} in the registry{hint}")
    return ModelRecord.from_row(rows[-1])


def resolve(store: GraphStore, model: str | Path) -> tuple[ModelRecord, ModelMeta]:
    """The registry entry for MODEL (a model directory, or a registered name: its latest
    version) and the verified metadata of its files. Refused with ModelError when the files
    are not what the registry recorded (retrained or replaced since registration) or the
    directory was never registered."""
    path = Path(model)
    if not path.is_dir():
        try:
            path = latest(store, str(model)).path
        except ModelError as exc:
            raise ModelError(f"{model}: no such model directory, and {exc}") from exc
    meta = load_model_dir(path)  # every weight file against model.json
    sha = weights_sha256(meta)
    here = str(path.resolve())
    rows = registered(store)
    same = [r for r in rows if r["sha256"] == sha]
    if same:
        # The same weights registered under several names: the one registered from here.
        at_path = [r for r in same if r["path"] == here]
        return ModelRecord.from_row((at_path or same)[-1]), meta
    entry = next((r for r in reversed(rows) if r["path"] == here), None)
    if entry is not None:
        raise ModelError(
            f"{path}: its weights (sha256 {sha[:12]}…) do not match its registry entry "
            f"{entry['name']} v{entry['version']} (sha256 {entry['sha256'][:12]}…): the files "
            "changed since they were registered; register them as a new version "
            f"(graphkit models register {path}) or restore the registered files"
        )
    raise ModelError(
        f"{path} is not in the model registry: register it first (graphkit models register {path})"
    )


def ensure_registered(store: GraphStore, model_dirs: list[Path]) -> list[ModelRecord]:
    """The registry entries of the models in MODEL_DIRS, registering (as `graphkit models
    register` would) those never registered. A directory whose files differ from what was
    registered from it is refused as `resolve` refuses it (that is no new version to record
    behind the back of whoever trained it); all are checked before any is registered, so a
    refusal registers none."""
    found: list[ModelRecord | None] = []
    for model_dir in model_dirs:
        try:
            found.append(resolve(store, model_dir)[0])
        except ModelError:
            here = str(Path(model_dir).resolve())
            if any(row["path"] == here for row in registered(store)):
                raise
            load_model_dir(model_dir)  # its files intact, or ModelError
            found.append(None)
    return [
        record or register_model(store, model_dir)[0]
        for record, model_dir in zip(found, model_dirs, strict=True)
    ]
