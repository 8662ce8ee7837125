"""What curators ask of the predictions, one query file each (cypher/predictions/): the
current prediction per artwork, movement predictions that contradict the artist's known
movements, the most uncertain predictions, the share judged AI per artist, and the lineage of
a prediction back to the query that labelled its model's training data."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graphkit.store import GraphStore

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Filters:
    """What the listing queries (current, uncertain, disagreements) all take beside their own
    parameters: a label, a score range, leaving out what a review decided, and where a page
    starts (the API pages through them)."""

    label: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    unreviewed: bool = False
    offset: int = 0


NO_FILTERS = Filters()


def current(
    store: GraphStore,
    node_id: str | None = None,
    model: str | None = None,
    limit: int = 100,
    filters: Filters = NO_FILTERS,
) -> Rows:
    params = asdict(filters)
    return store.read("predictions/current", id=node_id, model=model, limit=limit, **params).rows


def disagreements(
    store: GraphStore,
    model: str | None = None,
    limit: int = 50,
    filters: Filters = NO_FILTERS,
    by_margin: bool = False,
) -> Rows:
    """Most confident first; BY_MARGIN: the least sure first."""
    params = {**asdict(filters), "by_margin": by_margin}
    return store.read("predictions/disagreements", model=model, limit=limit, **params).rows


def uncertain(
    store: GraphStore,
    model: str | None = None,
    limit: int = 100,
    unreviewed: bool = False,
    filters: Filters = NO_FILTERS,
) -> Rows:
    """Smallest margin first; UNREVIEWED leaves out what a review already decided (the
    review queue)."""
    params = {**asdict(filters), "unreviewed": unreviewed or filters.unreviewed}
    return store.read("predictions/uncertain", model=model, limit=limit, **params).rows


def ai_share(
    store: GraphStore, model: str | None = None, min_images: int = 5, limit: int = 50
) -> Rows:
    return store.read("predictions/ai_share", model=model, min_images=min_images, limit=limit).rows


def lineage(store: GraphStore, ident: str) -> Rows:
    """IDENT: a prediction id, or a node id (the lineage of its current predictions)."""
    rows = store.read("predictions/lineage", ids=[ident]).rows
    if rows:
        return rows
    ids = [row["prediction"] for row in current(store, node_id=ident, limit=1000)]
    return store.read("predictions/lineage", ids=ids).rows if ids else []
