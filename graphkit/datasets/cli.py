"""`graphkit dataset ...` commands."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.settings import Settings


def default_root(settings: Settings) -> Path:
    return settings.data_dir / "datasets"


@click.group()
def dataset() -> None:
    """Labelled image datasets built from graph queries."""


@dataset.command("build")
@click.argument("name")
@click.option(
    "--label-via",
    type=click.Choice(["artist", "artwork", "source-kind"]),
    required=True,
    help="artist: the artist's only movement; artwork: the artwork's own style; "
    "source-kind: ai (generated tiles) vs human (artworks), for the detectors.",
)
@click.option(
    "--min-per-class",
    type=int,
    default=10,
    show_default=True,
    help="Drop movements with fewer examples.",
)
@click.option("--max-per-class", type=int, default=None, help="Keep at most this many per class.")
@click.option(
    "--split",
    "split_text",
    default="0.7,0.15,0.15",
    show_default=True,
    help="Train, val and test fractions.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--keep-attributed/--leave-out-attributed",
    default=False,
    show_default=True,
    help="With --label-via artist: also label works only attributed to the artist "
    "('after', 'workshop of', 'attributed to'); by default they are left out.",
)
@click.option(
    "--prefer-reviewed/--ignore-reviews",
    default=True,
    show_default=True,
    help="Label each reviewed artwork with its latest review (graphkit review) instead of the "
    "query's label, adding it if the query left it out: corrections reach the next model.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default: <data dir>/datasets/NAME).",
)
@click.pass_obj
def build(
    settings: Settings,
    name: str,
    label_via: str,
    min_per_class: int,
    max_per_class: int | None,
    split_text: str,
    seed: int,
    keep_attributed: bool,
    prefer_reviewed: bool,
    out: Path | None,
) -> None:
    """Build dataset NAME: label artworks, split by artist, write a manifest, record it."""
    from graphkit.datasets.build import BuildOptions, build_dataset, check_name
    from graphkit.datasets.report import summary_text
    from graphkit.datasets.splits import parse_fractions
    from graphkit.store import open_store

    check_name(name)
    fractions = parse_fractions(split_text)
    options = BuildOptions(
        label_via, min_per_class, max_per_class, fractions, seed, keep_attributed, prefer_reviewed
    )
    options.check()
    with open_store(settings) as store:
        click.echo(f"graph: {store.engine.describe()}", err=True)
        summary = build_dataset(store, name, options, out or default_root(settings) / name)
    click.echo(summary_text(summary))


@dataset.command("show")
@click.argument("name")
@click.option(
    "--chart",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the class-count bar chart (default: class_counts.png in the dataset).",
)
@click.pass_obj
def show(settings: Settings, name: str, chart: Path | None) -> None:
    """Print dataset NAME's summary and draw a bar chart of its class counts."""
    from graphkit.datasets.build import find_dataset
    from graphkit.datasets.manifest import read_summary
    from graphkit.datasets.report import class_chart, summary_text
    from graphkit.store import open_store

    with open_store(settings) as store:
        folder = find_dataset(store, name, default_root(settings))
    summary = read_summary(folder)
    click.echo(summary_text(summary))
    path = class_chart(summary, chart or folder / "class_counts.png")
    click.echo(f"chart: {path}")
