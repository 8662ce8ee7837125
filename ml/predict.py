"""`graphkit predict`: run a registered model over the graph's images (every Artwork image and
GeneratedImage tile) and write what it says back as Prediction nodes, in batches, with a
progress bar on stderr. Images its version already scored as they are now are left alone, so
a rerun after a crash or a kill finishes the job and creates no duplicate. An image that is
missing or corrupt is skipped and listed; the rest proceed. `rescore` is what `graphkit sync`
runs afterwards: the latest version of every model in use, over what is new or stale."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from graphkit.errors import ModelError
from graphkit.predictions.rows import prediction_row
from graphkit.predictions.scope import scored_state, select
from graphkit.predictions.write import DEFAULT_WRITE_BATCH, WriteCounts, write_predictions
from graphkit.progress import progress_bar
from graphkit.store import GraphStore
from ml.graph_images import imaged_nodes, open_tiles
from ml.registry import ModelRecord, latest, registered, resolve, weights_sha256
from ml.scoring import Scorer, load_scorer

SCORE_BATCH = 32  # images decoded and scored at a time (AIC photographs are 2.5 MB decoded)


@dataclass
class PredictReport:
    model: str  # "NAME vN"
    scope: str
    images: int  # images in the graph
    selected: Counter[str] = field(default_factory=Counter)  # why each was taken: new, stale, …
    scored: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "scope": self.scope,
            "images": self.images,
            "selected": dict(self.selected),
            "scored": self.scored,
            "created": self.counts.created,
            "existing": self.counts.written - self.counts.created,
            "demoted": self.counts.demoted,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "seconds": round(self.seconds, 2),
        }


def load_registered(store: GraphStore, model: str) -> tuple[ModelRecord, Scorer]:
    """The registry entry and a scorer for MODEL (a directory or a registered name), refused
    when the files are not the registered ones."""
    record, _ = resolve(store, model)
    scorer = load_scorer(record.path)
    if weights_sha256(scorer.meta) != record.sha256:  # changed between the check and the load
        raise ModelError(f"{record.path}: its files changed while loading; try again")
    return record, scorer


def predict_graph(
    store: GraphStore,
    record: ModelRecord,
    scorer: Scorer | None,
    *,
    scope: str = "all",
    batch_size: int = DEFAULT_WRITE_BATCH,
    progress: bool = True,
    features_dir: Path | None = None,
) -> PredictReport:
    """Score what SCOPE takes and write it; with SCORER None, only count what it would take.
    FEATURES_DIR: the data dir whose backbone statistics cache a model on the shared backbone
    reads (so the backbone runs only over images no earlier pass has seen)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    started = time.perf_counter()
    images = imaged_nodes(store)
    chosen = select(images, scored_state(store, record.name), record.version_ref, scope)
    report = PredictReport(record.label(), scope, len(images), Counter(why for _, why in chosen))
    if scorer is not None and chosen:
        rows = [dict(image) for image, _ in chosen]
        _score_and_write(store, record, scorer, rows, report, batch_size, progress, features_dir)
    report.seconds = time.perf_counter() - started
    return report


class PredictionSink:
    """Prediction rows of RECORD written BATCH_SIZE to a transaction as scores arrive, from
    predict's own pass or from another pass over the same images (the embedding pass also
    gives the movement model's logits)."""

    def __init__(
        self,
        store: GraphStore,
        record: ModelRecord,
        classes: list[str],
        report: PredictReport,
        batch_size: int = DEFAULT_WRITE_BATCH,
        uncertain_below: float | None = None,
    ) -> None:
        self.store, self.record, self.classes, self.report = store, record, classes, report
        self.batch_size = batch_size
        self.uncertain_below = uncertain_below
        self.pending: list[dict[str, Any]] = []

    def add(self, rows: list[dict[str, Any]], probabilities: Any) -> None:
        for row, p in zip(rows, probabilities, strict=True):
            self.pending.append(
                prediction_row(
                    row,
                    self.classes,
                    p,
                    self.record.sha256,
                    self.record.task,
                    self.uncertain_below,
                )
            )
        self.report.scored += len(rows)
        self.flush(self.batch_size)

    def flush(self, least: int = 1) -> None:
        """Write full batches while at least LEAST rows wait (1, the default: the rest too)."""
        while len(self.pending) >= least and self.pending:
            batch = self.pending[: self.batch_size]
            self.report.counts.add(write_predictions(self.store, self.record.id, batch))
            del self.pending[: self.batch_size]


def _score_and_write(
    store: GraphStore,
    record: ModelRecord,
    scorer: Scorer,
    rows: list[dict[str, Any]],
    report: PredictReport,
    batch_size: int,
    progress: bool,
    features_dir: Any = None,
) -> None:
    sink = PredictionSink(store, record, scorer.classes, report, batch_size, scorer.uncertain_below)
    batch: list[tuple[dict[str, Any], Image.Image]] = []
    bar = progress_bar(len(rows), f"predict {record.label()}", unit="image", enabled=progress)

    def score() -> None:
        rows_now, images = [row for row, _ in batch], [image for _, image in batch]
        stats = shared_statistics(shared, rows_now, images) if shared is not None else None
        sink.add(rows_now, scorer.score(images, stats))
        bar.update(len(batch))
        batch.clear()

    shared = None
    if scorer.statistics is not None and features_dir is not None:
        from ml.backbone.features import SharedBackbone

        shared = SharedBackbone.open(scorer.statistics, features_dir)
    try:
        with bar:
            for row, image in open_tiles(rows, report.skipped):
                batch.append((row, image))
                if len(batch) == SCORE_BATCH:
                    score()
            if batch:
                score()
            sink.flush()
    finally:
        if shared is not None:
            shared.close()


def shared_statistics(shared: Any, rows: list[dict[str, Any]], images: list[Image.Image]) -> Any:
    """The backbone statistics of these decoded images from the shared cache, the ones it lacks
    computed (from the images already decoded) and stored first."""
    from ml.embeddings.embed import node_key

    return shared.stats_of_images([node_key(row) for row in rows], images)


def models_in_use(store: GraphStore) -> list[str]:
    """Names of the models with current predictions in the graph."""
    return sorted({r["name"] for r in registered(store) if r["current_predictions"]})


@dataclass
class Rescored:
    name: str
    report: PredictReport | None = None
    problem: str | None = None  # why this model could not re-score (the others still do)


def rescore(
    store: GraphStore,
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_WRITE_BATCH,
    progress: bool = True,
    features_dir: Path | None = None,
) -> list[Rescored]:
    """Bring every model in use up to date: its latest version scores the images that are new,
    whose image changed, or whose current prediction came from an older version."""
    done = []
    for name in models_in_use(store):
        try:
            record = latest(store, name)
            report = predict_graph(store, record, None)  # counts only: no model loaded yet
            if not dry_run and report.selected:
                record, scorer = load_registered(store, name)
                report = predict_graph(
                    store,
                    record,
                    scorer,
                    batch_size=batch_size,
                    progress=progress,
                    features_dir=features_dir,
                )
            done.append(Rescored(name, report))
        except ModelError as exc:
            done.append(Rescored(name, problem=str(exc)))
    return done
