"""Communities of artists: Louvain on the undirected, weight-summed influence graph."""

from __future__ import annotations

import networkx as nx

DEFAULT_SEED = 42


def undirected(graph: nx.DiGraph) -> nx.Graph:
    """A -> B and B -> A become one edge whose weight is their sum (networkx's own
    to_undirected keeps just one of the two weights)."""
    out = nx.Graph()
    out.add_nodes_from(sorted(graph.nodes))
    for a, b, weight in sorted(graph.edges(data="weight", default=1.0)):
        key = (a, b) if a < b else (b, a)
        if out.has_edge(*key):
            out.edges[key]["weight"] += weight
        else:
            out.add_edge(*key, weight=weight)
    return out


def louvain(graph: nx.DiGraph, seed: int = DEFAULT_SEED, resolution: float = 1.0) -> dict[str, int]:
    """Community number per node. Numbers are stable: 0 is the largest community, ties by
    their smallest member id."""
    if graph.number_of_nodes() == 0:
        return {}
    found = nx.community.louvain_communities(
        undirected(graph), weight="weight", resolution=resolution, seed=seed
    )
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    return {node: number for number, members in enumerate(ordered) for node in members}


def members(assignment: dict[str, int]) -> list[list[str]]:
    """Communities as sorted member lists, indexed by community number."""
    groups: dict[int, list[str]] = {}
    for node, number in assignment.items():
        groups.setdefault(number, []).append(node)
    return [sorted(groups[n]) for n in sorted(groups)]
