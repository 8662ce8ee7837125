"""`analytics run` from end to end: project, compute, write back. No printing here."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from graphkit.analytics.communities import DEFAULT_SEED, louvain
from graphkit.analytics.influence import pagerank
from graphkit.analytics.movements import MovementScore, movement_scores
from graphkit.analytics.places import CountryCount, artists_per_country, unresolved_birthplaces
from graphkit.analytics.projection import (
    Progress,
    Projection,
    ProjectionOptions,
    project,
    quiet,
)
from graphkit.analytics.writeback import DEFAULT_BATCH_SIZE, replace_results
from graphkit.errors import AnalyticsError, QueryError
from graphkit.store import GraphStore

NOTHING_TO_ANALYSE = "load data first (graphkit populate all DIR)"


@dataclass
class AnalyticsResult:
    projection: Projection
    pagerank: dict[str, float]
    community: dict[str, int]
    movements: dict[str, MovementScore]
    countries: list[CountryCount]
    seconds: dict[str, float] = field(default_factory=dict)
    unresolved: tuple[int, int] = (0, 0)  # (places with no country, artists born there)
    written: dict[str, int] = field(default_factory=dict)

    def artist_rows(self) -> list[dict[str, Any]]:
        return [
            {"id": node, "pagerank": self.pagerank[node], "community": self.community[node]}
            for node in sorted(self.pagerank)
        ]

    def movement_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": m.id,
                "weighted_degree": m.weighted_degree,
                "betweenness": m.betweenness,
                "artists": m.artists,
            }
            for _, m in sorted(self.movements.items())
        ]

    def country_rows(self) -> list[dict[str, Any]]:
        return [{"id": c.id, "artists": c.artists} for c in self.countries]


def analyse(
    store: GraphStore,
    options: ProjectionOptions | None = None,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress = quiet,
) -> AnalyticsResult:
    """Project and compute; the graph is only read."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    try:
        projection = project(store, options, progress)
    except QueryError as exc:
        # FalkorDB refuses reads on a graph that was never written ("empty key").
        if "empty key" not in str(exc):
            raise
        raise AnalyticsError(f"the graph is empty: {NOTHING_TO_ANALYSE}") from exc
    seconds["projection"] = time.perf_counter() - start
    if projection.artists.number_of_nodes() == 0 and projection.movements.number_of_nodes() == 0:
        raise AnalyticsError(
            f"the graph has no artist links and no movements: {NOTHING_TO_ANALYSE}"
        )

    start = time.perf_counter()
    progress("PageRank and Louvain on the artist graph")
    ranks = pagerank(projection.artists)
    community = louvain(projection.artists, seed=seed)
    progress("weighted degree and betweenness on the movement graph")
    movements = movement_scores(projection.movements)
    progress("artists per country")
    countries = artists_per_country(projection.places)
    seconds["algorithms"] = time.perf_counter() - start
    unresolved = unresolved_birthplaces(projection.places)
    return AnalyticsResult(
        projection, ranks, community, movements, countries, seconds, unresolved=unresolved
    )


def write_back(
    store: GraphStore,
    result: AnalyticsResult,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = quiet,
) -> dict[str, int]:
    start = time.perf_counter()
    written = {}
    for target, rows in (
        ("artists", result.artist_rows()),
        ("movements", result.movement_rows()),
        ("countries", result.country_rows()),
    ):
        progress(f"writing {len(rows)} {target} back to the graph")
        written[target] = replace_results(store, target, rows, batch_size)
    result.written = written
    result.seconds["write_back"] = time.perf_counter() - start
    return written


def run_analytics(
    store: GraphStore,
    options: ProjectionOptions | None = None,
    *,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    write: bool = True,
    progress: Progress = quiet,
) -> AnalyticsResult:
    result = analyse(store, options, seed=seed, progress=progress)
    if write:
        write_back(store, result, batch_size, progress)
    return result
