"""`graphkit analytics ...` commands."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from graphkit.analytics.communities import DEFAULT_SEED
from graphkit.analytics.projection import ProjectionOptions
from graphkit.analytics.writeback import DEFAULT_BATCH_SIZE
from graphkit.errors import AnalyticsError
from graphkit.settings import Settings
from graphkit.store import open_store

F = TypeVar("F", bound=Callable[..., object])


@click.group()
def analytics() -> None:
    """Graph analytics with networkx, written back to the graph."""


def _progress(enabled: bool) -> Callable[[str], None]:
    start = time.perf_counter()

    def show(step: str) -> None:
        if enabled:
            click.echo(f"[{time.perf_counter() - start:5.1f} s] {step}", err=True)

    return show


def _projection_options(f: F) -> F:
    f = click.option(
        "--stated-only",
        is_flag=True,
        help="Ignore movement memberships only inferred from artwork styles (derived).",
    )(f)
    f = click.option(
        "--apprentice-weight",
        type=click.FloatRange(min=0),
        default=1.0,
        show_default=True,
        help="How many artwork recommendations one apprenticeship is worth.",
    )(f)
    f = click.option(
        "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Louvain seed."
    )(f)
    return click.option("--progress/--no-progress", default=True, help="Show the steps on stderr.")(
        f
    )


@analytics.command("run")
@_projection_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the report and the PNG go [default: DATA_DIR/analytics].",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Rows per report table.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Rows per write-back query.",
)
@click.option("--no-write", is_flag=True, help="Compute and report, but leave the graph as is.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def run_cmd(
    settings: Settings,
    stated_only: bool,
    apprentice_weight: float,
    seed: int,
    progress: bool,
    out_dir: Path | None,
    top: int,
    batch_size: int,
    no_write: bool,
    as_json: bool,
) -> None:
    """Influence (PageRank), communities (Louvain), movement co-membership and artists per
    country; results are written back as node properties.

    Artist.pagerank, Artist.community, Movement.weighted_degree, Movement.betweenness,
    Movement.member_count and Place.artist_count (on countries). The report and
    movements.png are saved in --out.
    """
    from graphkit.analytics.pipeline import run_analytics
    from graphkit.analytics.report import draw_movements, summary, text

    show = _progress(progress)
    out = out_dir or settings.data_dir / "analytics"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnalyticsError(f"cannot create the output directory {out}: {exc}") from exc
    options = ProjectionOptions(
        apprentice_weight=apprentice_weight, include_derived=not stated_only
    )
    start = time.perf_counter()
    with open_store(settings) as store:
        show(f"graph: {store.engine.describe()}")
        result = run_analytics(
            store, options, seed=seed, batch_size=batch_size, write=not no_write, progress=show
        )
    show("drawing the movement network")
    png = draw_movements(result, out / "movements.png")
    result.seconds["total"] = time.perf_counter() - start
    data = summary(result, top)
    data["png"] = str(png)
    report_json = json.dumps(data, indent=1, ensure_ascii=False)
    (out / "report.json").write_text(report_json + "\n", encoding="utf-8")
    (out / "report.txt").write_text(text(data) + "\n", encoding="utf-8")
    if as_json:
        click.echo(report_json)
    else:
        click.echo(text(data))
        click.echo(f"\nreport and movement network saved in {out}")
    show(f"done in {result.seconds['total']:.1f} s")


@analytics.command("export")
@_projection_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "json"]),
    default="graphml",
    show_default=True,
)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
def export_cmd(
    settings: Settings,
    stated_only: bool,
    apprentice_weight: float,
    seed: int,
    progress: bool,
    fmt: str,
    directory: Path,
) -> None:
    """Write the projected graphs (artists, movements, places) to DIRECTORY, one file each,
    with the computed scores as node attributes. The graph is not changed."""
    from graphkit.analytics.export import export
    from graphkit.analytics.pipeline import analyse

    show = _progress(progress)
    options = ProjectionOptions(
        apprentice_weight=apprentice_weight, include_derived=not stated_only
    )
    with open_store(settings) as store:
        show(f"graph: {store.engine.describe()}")
        result = analyse(store, options, seed=seed, progress=show)
    for path in export(result, directory, fmt):
        click.echo(str(path))
