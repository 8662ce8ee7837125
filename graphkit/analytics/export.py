"""Write the projected graphs (with the computed scores as node attributes) as GraphML or
node-link JSON, one file per graph."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graphkit.analytics.pipeline import AnalyticsResult
from graphkit.errors import AnalyticsError

FORMATS = ("graphml", "json")


def annotated(result: AnalyticsResult) -> dict[str, nx.Graph]:
    """Copies of the projections carrying the results; None values are left out (GraphML
    has no null)."""
    graphs = {name: g.copy() for name, g in result.projection.graphs().items()}
    for node, data in graphs["artists"].nodes(data=True):
        data["pagerank"] = result.pagerank.get(node, 0.0)
        data["community"] = result.community.get(node, -1)
    for node, data in graphs["movements"].nodes(data=True):
        score = result.movements[node]
        data["weighted_degree"] = score.weighted_degree
        data["betweenness"] = score.betweenness
    for country in result.countries:
        graphs["places"].nodes[country.id]["artist_count"] = country.artists
    for graph in graphs.values():
        for _, data in graph.nodes(data=True):
            for key in [k for k, v in data.items() if v is None]:
                del data[key]
    return graphs


def export(result: AnalyticsResult, directory: Path, fmt: str) -> list[Path]:
    if fmt not in FORMATS:
        raise AnalyticsError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnalyticsError(f"cannot create the export directory {directory}: {exc}") from exc
    paths = []
    for name, graph in annotated(result).items():
        path = directory / f"{name}.{fmt}"
        try:
            if fmt == "graphml":
                nx.write_graphml(graph, path)
            else:
                data = nx.node_link_data(graph, edges="edges")
                path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        except OSError as exc:
            raise AnalyticsError(f"cannot write {path}: {exc}") from exc
        paths.append(path)
    return paths
