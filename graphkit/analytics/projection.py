"""Project subgraphs of the graph into networkx: Cypher aggregates the edges, networkx holds them.

Three projections, each with node ids as the graph's `id` keys and sorted insertion (so every
algorithm that depends on node order gives the same answer on every run):
- artists: DiGraph of artist influence, apprenticeships (student -> teacher) plus artwork
  RECOMMENDS aggregated to artists; edge `weight` combines both, `apprentice` and
  `recommends` keep the parts.
- movements: Graph of movement co-membership, edge `weight` = number of shared artists.
- places: DiGraph of the place hierarchy (child -> parent) with artist -> birthplace edges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from graphkit.store import GraphStore

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ProjectionOptions:
    # One apprenticeship counts as this many artwork-to-artwork recommendations.
    apprentice_weight: float = 1.0
    # Memberships only inferred from WikiArt artwork styles (MEMBER_OF {derived: true}).
    include_derived: bool = True


@dataclass
class Projection:
    artists: nx.DiGraph
    movements: nx.Graph
    places: nx.DiGraph

    def graphs(self) -> dict[str, nx.Graph]:
        return {"artists": self.artists, "movements": self.movements, "places": self.places}


def project_artists(store: GraphStore, apprentice_weight: float = 1.0) -> nx.DiGraph:
    apprentice = {
        (r["source"], r["target"]): int(r["weight"])
        for r in store.read("analytics/apprentice_edges").rows
    }
    recommends = {
        (r["source"], r["target"]): int(r["weight"])
        for r in store.read("analytics/recommends_edges").rows
    }
    pairs = sorted(set(apprentice) | set(recommends))
    ids = sorted({node for pair in pairs for node in pair})
    names = {r["id"]: r["name"] for r in store.read("analytics/artist_names", ids=ids).rows}
    graph = nx.DiGraph(name="artists")
    for node in ids:
        graph.add_node(node, kind="artist", name=names.get(node) or node)
    for pair in pairs:
        a, r = apprentice.get(pair, 0), recommends.get(pair, 0)
        graph.add_edge(*pair, weight=apprentice_weight * a + r, apprentice=a, recommends=r)
    return graph


def project_movements(store: GraphStore, include_derived: bool = True) -> nx.Graph:
    graph = nx.Graph(name="movements")
    for row in store.read("analytics/movement_nodes", include_derived=include_derived).rows:
        graph.add_node(
            row["id"], kind="movement", name=row["name"] or row["id"], artists=int(row["artists"])
        )
    for row in store.read("analytics/movement_edges", include_derived=include_derived).rows:
        graph.add_edge(row["source"], row["target"], weight=int(row["weight"]))
    return graph


def project_places(store: GraphStore) -> nx.DiGraph:
    graph = nx.DiGraph(name="places")
    for row in store.read("analytics/place_nodes").rows:
        graph.add_node(row["id"], kind="place", name=row["name"] or row["id"], type=row["type"])
    for row in store.read("analytics/place_edges").rows:
        graph.add_edge(row["source"], row["target"], rel="LOCATED_IN")
    for row in store.read("analytics/birthplaces").rows:
        graph.add_node(row["artist"], kind="artist")
        graph.add_edge(row["artist"], row["place"], rel="BORN_IN")
    return graph


def project(
    store: GraphStore, options: ProjectionOptions | None = None, progress: Progress = quiet
) -> Projection:
    options = options or ProjectionOptions()
    progress("projecting the artist influence graph")
    artists = project_artists(store, options.apprentice_weight)
    progress("projecting the movement co-membership graph")
    movements = project_movements(store, options.include_derived)
    progress("projecting the place hierarchy")
    places = project_places(store)
    return Projection(artists=artists, movements=movements, places=places)
