"""`graphkit embed`: an image embedding (the classifier's pooled features, from its ONNX
export) for every Artwork and GeneratedImage with an image, stored on the node with the
engine's vector index and the model that made it. A generated grid file is decoded once for
its four tiles. Unreadable images are skipped and listed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from graphkit.store import GraphStore
from ml.backbone.cache import image_key
from ml.backbone.features import SharedBackbone
from ml.embeddings.vector_index import create_vector_indexes, drop_vector_indexes
from ml.graph_images import imaged_nodes, open_tiles
from ml.movement.onnx_model import BATCH, OnnxMovementModel, softmax

WRITE_BATCH = 500


@dataclass
class EmbedReport:
    model: str
    dimension: int
    stored: int = 0
    seconds: float = 0.0
    by_label: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    indexes_created: list[str] = field(default_factory=list)
    # Images the backbone ran over in this pass (the rest came from the statistics cache);
    # None when the model ran on pixels.
    backbone_runs: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "backbone_runs": self.backbone_runs,
            "model": self.model,
            "dimension": self.dimension,
            "stored": self.stored,
            "by_label": self.by_label,
            "seconds": round(self.seconds, 1),
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "indexes_created": self.indexes_created,
        }


def model_description(model: OnnxMovementModel) -> str:
    """What `embedding_model` records: backbone, model directory and its ONNX file's sha256."""
    meta = model.meta
    return f"{meta.kind}:{meta.path}:{meta.weights['model.onnx'][:12]}"


# Called with each batch's node rows and the model's class probabilities for them: the pass
# that embeds also gives the movement predictions (`graphkit up` writes both from one pass).
ProbabilitySink = Callable[[list[dict[str, Any]], np.ndarray], None]


def embed_with_shared_backbone(
    store: GraphStore,
    model: OnnxMovementModel,
    data_dir: Path,
    on_probabilities: ProbabilitySink | None = None,
) -> EmbedReport:
    """embed_graph over the backbone statistics cache in DATA_DIR when MODEL is a probe (its
    backbone then runs only over images no earlier pass has seen), else over pixels."""
    if model.statistics is None:
        return embed_graph(store, model, on_probabilities)
    shared = SharedBackbone.open(model.statistics, data_dir)
    try:
        return embed_graph(store, model, on_probabilities, shared)
    finally:
        shared.close()


def embed_graph(
    store: GraphStore,
    model: OnnxMovementModel,
    on_probabilities: ProbabilitySink | None = None,
    shared: SharedBackbone | None = None,
) -> EmbedReport:
    """Embed every imaged node. With SHARED (the backbone statistics cache the probe MODEL
    reads) an image is run through the backbone only if no earlier pass (training, an earlier
    embed) stored its statistics; otherwise MODEL's full network runs on the pixels."""
    start = time.perf_counter()
    report = EmbedReport(model_description(model), model.embedding_size)
    drop_vector_indexes(store)
    store.write("embeddings/clear_embeddings")
    rows = imaged_nodes(store)
    pending: list[dict[str, Any]] = []

    def flush_writes() -> None:
        result = store.write("embeddings/set_embeddings", rows=pending, model=report.model)
        report.stored += int(result.value("stored") or 0)
        pending.clear()

    def take(batch: list[dict[str, Any]], logits: np.ndarray, vectors: np.ndarray) -> None:
        for row, vector in zip(batch, vectors, strict=True):
            pending.append({"id": row["id"], "embedding": [float(v) for v in vector]})
            report.by_label[row["label"]] = report.by_label.get(row["label"], 0) + 1
        if on_probabilities is not None:
            on_probabilities(batch, softmax(logits))
        if len(pending) >= WRITE_BATCH:
            flush_writes()

    if shared is not None and _reads(model, shared):
        _embed_from_statistics(rows, model, shared, report, take)
    else:
        _embed_from_pixels(rows, model, report, take)
    if pending:
        flush_writes()
    report.indexes_created = create_vector_indexes(store, model.embedding_size)
    report.seconds = time.perf_counter() - start
    return report


Take = Callable[[list[dict[str, Any]], np.ndarray, np.ndarray], None]


def _reads(model: OnnxMovementModel, shared: SharedBackbone) -> bool:
    return model.head is not None and model.statistics_version == shared.spec.version


def _embed_from_pixels(
    rows: list[dict[str, Any]], model: OnnxMovementModel, report: EmbedReport, take: Take
) -> None:
    batch: list[tuple[dict[str, Any], np.ndarray]] = []

    def flush() -> None:
        logits, vectors = model.run_pixels(np.stack([p for _, p in batch]))
        take([row for row, _ in batch], logits, vectors)
        batch.clear()

    for row, image in open_tiles(rows, report.skipped):
        batch.append((row, model.pixels([image])[0]))
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()


def _embed_from_statistics(
    rows: list[dict[str, Any]],
    model: OnnxMovementModel,
    shared: SharedBackbone,
    report: EmbedReport,
    take: Take,
) -> None:
    keys = [node_key(row) for row in rows]
    by_key = {}
    for key, row in zip(keys, rows, strict=True):
        by_key.setdefault(key, []).append(row)

    def images(missing: list[str]) -> Iterator[tuple[str, Image.Image | None]]:
        wanted = [row for key in missing for row in by_key[key][:1]]
        opened = {node_key(row): image for row, image in open_tiles(wanted, report.skipped)}
        for key in missing:
            yield key, opened.get(key)

    before = shared.computed
    unreadable = set(shared.ensure(keys, images))
    report.backbone_runs = shared.computed - before
    kept = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in unreadable]
    for start in range(0, len(kept), WRITE_BATCH):
        chunk = kept[start : start + WRITE_BATCH]
        logits, vectors = model.run_stats(shared.stats([key for key, _ in chunk]))
        take([row for _, row in chunk], logits, vectors)


def node_key(row: dict[str, Any]) -> str:
    """The backbone cache's key of an imaged node: its file's sha256 (its path when the graph
    has none) and, for a generated tile, the tile's box."""
    return image_key(row.get("image_sha256") or f"path:{row['path']}", row.get("crop"))


def missing_embeddings(store: GraphStore, model: OnnxMovementModel) -> int:
    """How many imaged nodes lack MODEL's embedding (none yet, or another model's)."""
    rows = store.read("embeddings/missing_embeddings", model=model_description(model)).rows
    return sum(int(row["missing"]) for row in rows)


def similar_artworks(store: GraphStore, artwork_id: str, k: int) -> list[dict[str, Any]]:
    """The K artworks nearest to ARTWORK_ID, itself first; a GraphkitError naming the artwork
    when it is unknown or has no embedding yet."""
    from graphkit.errors import GraphkitError

    state = store.read("embeddings/artwork_embedding", id=artwork_id).rows
    if not state:
        raise GraphkitError(f"no Artwork with id {artwork_id!r}")
    if not state[0]["embedded"]:
        raise GraphkitError(
            f"artwork {artwork_id!r} has no embedding yet: run `graphkit embed` first"
        )
    return store.read("embeddings/similar_artworks", id=artwork_id, k=int(k)).rows


def default_model_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models" / "movement-efficientnet-lite0"
