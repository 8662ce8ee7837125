"""Movement co-membership: weighted degree and betweenness of each movement."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class MovementScore:
    id: str
    name: str
    artists: int
    weighted_degree: int
    betweenness: float


def movement_scores(graph: nx.Graph) -> dict[str, MovementScore]:
    """Weighted degree = artists shared with other movements (summed over links).
    Betweenness treats a link as short when many artists share it (distance = 1 / weight),
    normalised to [0, 1]."""
    distances = nx.Graph()
    distances.add_nodes_from(graph)
    distances.add_weighted_edges_from(
        ((a, b, 1.0 / w) for a, b, w in graph.edges(data="weight")), weight="distance"
    )
    between = nx.betweenness_centrality(distances, weight="distance", normalized=True)
    return {
        node: MovementScore(
            id=node,
            name=data.get("name", node),
            artists=int(data.get("artists", 0)),
            weighted_degree=int(graph.degree(node, weight="weight")),
            betweenness=float(between.get(node, 0.0)),
        )
        for node, data in graph.nodes(data=True)
    }
