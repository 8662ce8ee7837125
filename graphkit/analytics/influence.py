"""Artist influence: PageRank over the weighted influence graph."""

from __future__ import annotations

import networkx as nx

DAMPING = 0.85


def pagerank(graph: nx.DiGraph, alpha: float = DAMPING) -> dict[str, float]:
    """PageRank by edge `weight`; an edge points from the influenced to the influencer."""
    if graph.number_of_nodes() == 0:
        return {}
    return nx.pagerank(graph, alpha=alpha, weight="weight")


def ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
    """Highest first; ties broken by id so the order is the same on every run."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
