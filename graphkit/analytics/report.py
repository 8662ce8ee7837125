"""The short report printed after a run, its JSON twin, and the PNG of the movement network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from graphkit.analytics.communities import members
from graphkit.analytics.influence import ranked
from graphkit.analytics.pipeline import AnalyticsResult
from graphkit.output import table

LAYOUT_SEED = 42


def summary(result: AnalyticsResult, top: int = 10) -> dict[str, Any]:
    """Everything the report shows, as plain values (for --json and report.json)."""
    artists = result.projection.artists
    movements = result.projection.movements
    groups = members(result.community)
    by_rank = ranked(result.pagerank)

    def name(node: str) -> str:
        return artists.nodes[node].get("name", node)

    def movement_top(key: str) -> list[dict[str, Any]]:
        scores = sorted(result.movements.values(), key=lambda m: (-getattr(m, key), m.id))
        return [
            {
                "id": m.id,
                "name": m.name,
                "artists": m.artists,
                "weighted_degree": m.weighted_degree,
                "betweenness": round(m.betweenness, 6),
            }
            for m in scores[:top]
        ]

    return {
        "artist_graph": {"nodes": artists.number_of_nodes(), "edges": artists.number_of_edges()},
        "movement_graph": {
            "nodes": movements.number_of_nodes(),
            "edges": movements.number_of_edges(),
        },
        "top_artists": [
            {"id": node, "name": name(node), "pagerank": round(score, 6)}
            for node, score in by_rank[:top]
        ],
        "communities": {
            "count": len(groups),
            "largest": [
                {
                    "community": number,
                    "size": len(group),
                    "top_members": [
                        name(n) for n in sorted(group, key=lambda n: (-result.pagerank[n], n))[:5]
                    ],
                }
                for number, group in enumerate(groups[:top])
            ],
        },
        "movements_by_weighted_degree": movement_top("weighted_degree"),
        "movements_by_betweenness": movement_top("betweenness"),
        "countries": [
            {"id": c.id, "name": c.name, "type": c.type, "artists": c.artists}
            for c in result.countries[:top]
        ],
        "countries_total": len(result.countries),
        # Tops of place chains that no rule could put under a country (a lone suburb, an
        # ambiguous name) are left out of the figures, and counted here.
        "unresolved_places": result.unresolved[0],
        "unresolved_artists": result.unresolved[1],
        "written": dict(result.written),
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def text(data: dict[str, Any]) -> str:
    a, m = data["artist_graph"], data["movement_graph"]
    parts = [
        f"artist graph: {a['nodes']} artists, {a['edges']} influence links; "
        f"movement graph: {m['nodes']} movements, {m['edges']} co-membership links",
        "",
        "most influential artists (PageRank)",
        table(
            ("#", "artist", "pagerank"),
            ((i, r["name"], f"{r['pagerank']:.4f}") for i, r in enumerate(data["top_artists"], 1)),
        ),
        "",
        f"{data['communities']['count']} communities (Louvain); the largest:",
        table(
            ("community", "size", "most influential members"),
            (
                (c["community"], c["size"], ", ".join(c["top_members"]))
                for c in data["communities"]["largest"]
            ),
        ),
        "",
        "movements by shared artists (weighted degree) and betweenness",
        table(
            ("movement", "artists", "weighted degree", "betweenness"),
            (
                (r["name"], r["artists"], r["weighted_degree"], f"{r['betweenness']:.4f}")
                for r in data["movements_by_weighted_degree"]
            ),
        ),
        "",
        table(
            ("bridge movement", "betweenness"),
            ((r["name"], f"{r['betweenness']:.4f}") for r in data["movements_by_betweenness"]),
        ),
        "",
        f"artists per country (by birthplace; {data['countries_total']} countries; "
        f"{data['unresolved_artists']} artists born in {data['unresolved_places']} places "
        "with no known country are left out)",
        table(
            ("country", "type", "artists"),
            ((c["name"], c["type"] or "-", c["artists"]) for c in data["countries"]),
        ),
    ]
    if data["written"]:
        written = ", ".join(f"{n} {k}" for k, n in data["written"].items())
        parts += ["", f"written back: {written}"]
    return "\n".join(parts)


def draw_movements(result: AnalyticsResult, path: Path, labels: int = 20) -> Path:
    """The linked movements, node size by member artists, edge width by shared artists; the
    movements with the highest betweenness are labelled."""
    graph = result.projection.movements
    # The largest linked group only: a few tiny islands would squeeze the layout.
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    linked = graph.subgraph(sorted(parts[0]) if parts and len(parts[0]) > 1 else [])
    figure = Figure(figsize=(14, 11), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(
        f"Movement co-membership: the largest linked group ({linked.number_of_nodes()} of "
        f"{graph.number_of_nodes()} movements); size = member artists, colour = betweenness"
    )
    if linked.number_of_nodes():
        pos = nx.spring_layout(
            linked,
            k=2.5 / max(linked.number_of_nodes(), 1) ** 0.5,
            iterations=200,
            seed=LAYOUT_SEED,
        )
        sizes = [30 + 8 * linked.nodes[n].get("artists", 0) ** 0.8 for n in linked]
        colours = [result.movements[n].betweenness for n in linked]
        max_weight = max((w for _, _, w in linked.edges(data="weight")), default=1)
        widths = [0.3 + 4.0 * w / max_weight for _, _, w in linked.edges(data="weight")]
        nx.draw_networkx_edges(linked, pos, ax=ax, width=widths, alpha=0.4, edge_color="grey")
        nx.draw_networkx_nodes(
            linked, pos, ax=ax, node_size=sizes, node_color=colours, cmap="viridis", alpha=0.9
        )
        top = sorted(linked, key=lambda n: (-result.movements[n].betweenness, n))[:labels]
        nx.draw_networkx_labels(
            linked, pos, ax=ax, labels={n: linked.nodes[n]["name"] for n in top}, font_size=8
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, bbox_inches="tight")
    return path
