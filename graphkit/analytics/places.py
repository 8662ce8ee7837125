"""Artists per country through the place hierarchy (city -> region -> country)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class CountryCount:
    id: str
    name: str
    type: str | None
    artists: int


def _is_place(graph: nx.DiGraph, node: str) -> bool:
    return graph.nodes[node].get("kind") == "place"


def countries_of(graph: nx.DiGraph, place: str, memo: dict[str, frozenset[str]]) -> frozenset[str]:
    """The countries a place lies in: the places at the top of its LOCATED_IN chains (those with
    no parent), the place itself when it has none."""
    if place not in memo:
        reachable = nx.descendants(graph, place) | {place}
        memo[place] = frozenset(p for p in reachable if graph.out_degree(p) == 0)
    return memo[place]


def _artists_by_top(graph: nx.DiGraph) -> dict[str, set[str]]:
    memo: dict[str, frozenset[str]] = {}
    artists: dict[str, set[str]] = {}
    for node in graph.nodes:
        if _is_place(graph, node):
            continue
        for place in graph.successors(node):
            for country in countries_of(graph, place, memo):
                artists.setdefault(country, set()).add(node)
    return artists


def artists_per_country(graph: nx.DiGraph) -> list[CountryCount]:
    """Distinct artists born anywhere inside each country, most first, ties by id.
    An artist with birthplaces in two countries counts once in each. Only tops of type
    'country' count: a chain the loader could not put under a country is unresolved."""
    artists = {
        top: members
        for top, members in _artists_by_top(graph).items()
        if graph.nodes[top].get("type") == "country"
    }
    counts = [
        CountryCount(
            id=country,
            name=graph.nodes[country].get("name", country),
            type=graph.nodes[country].get("type"),
            artists=len(members),
        )
        for country, members in artists.items()
    ]
    return sorted(counts, key=lambda c: (-c.artists, c.id))


def unresolved_birthplaces(graph: nx.DiGraph) -> tuple[int, int]:
    """(top-level places that are no country, distinct artists born there): what the
    artists-per-country figures leave out."""
    tops = {
        top: members
        for top, members in _artists_by_top(graph).items()
        if graph.nodes[top].get("type") != "country"
    }
    return len(tops), len(set().union(*tops.values())) if tops else 0
