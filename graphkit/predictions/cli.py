"""`graphkit predictions current|disagreements|uncertain|ai-share|lineage` and
`graphkit review ARTWORK_ID LABEL` / `graphkit review queue`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from graphkit.output import table
from graphkit.settings import Settings
from graphkit.store import GraphStore, open_store

MODEL = click.option("--model", default=None, help="One model name (default: every model).")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")


def limit_option(default: int) -> Callable[[Any], Any]:
    return click.option(
        "-n", "--limit", type=click.IntRange(1, 100_000), default=default, show_default=True
    )


def _show(
    settings: Settings,
    fetch: Callable[[GraphStore], list[dict[str, Any]]],
    columns: Sequence[str],
    as_json: bool,
) -> None:
    with open_store(settings) as store:
        rows = fetch(store)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, sort_keys=True, default=str))
        return
    click.echo(table(columns, ([_round(r.get(c)) for c in columns] for r in rows)))
    click.echo(f"({len(rows)} row(s))", err=True)


def _round(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


@click.group()
def predictions() -> None:
    """What the models said about the collection (Prediction nodes)."""


@predictions.command("current")
@click.argument("node_id", required=False)
@MODEL
@limit_option(100)
@AS_JSON
@click.pass_obj
def current_cmd(
    settings: Settings, node_id: str | None, model: str | None, limit: int, as_json: bool
) -> None:
    """The current prediction of each model per artwork (or only NODE_ID's)."""
    from graphkit.predictions.curator import current

    columns = ("id", "model", "version", "label", "score", "prediction")
    _show(settings, lambda s: current(s, node_id, model, limit), columns, as_json)


@predictions.command("disagreements")
@MODEL
@limit_option(50)
@AS_JSON
@click.pass_obj
def disagreements_cmd(settings: Settings, model: str | None, limit: int, as_json: bool) -> None:
    """Movement predictions that are none of the artist's known movements, most confident
    first."""
    from graphkit.predictions.curator import disagreements

    columns = ("id", "artist", "predicted", "score", "known_movements", "model")
    _show(settings, lambda s: disagreements(s, model, limit), columns, as_json)


@predictions.command("uncertain")
@MODEL
@limit_option(100)
@AS_JSON
@click.pass_obj
def uncertain_cmd(settings: Settings, model: str | None, limit: int, as_json: bool) -> None:
    """The predictions the models are least sure of (smallest margin between the two
    likeliest classes)."""
    from graphkit.predictions.curator import uncertain

    columns = ("id", "model", "label", "score", "margin", "probabilities")
    _show(settings, lambda s: uncertain(s, model, limit), columns, as_json)


@predictions.command("ai-share")
@MODEL
@click.option("--min-images", type=click.IntRange(min=1), default=5, show_default=True)
@limit_option(50)
@AS_JSON
@click.pass_obj
def ai_share_cmd(
    settings: Settings, model: str | None, min_images: int, limit: int, as_json: bool
) -> None:
    """Per artist, the share of their images a detector judges AI-generated."""
    from graphkit.predictions.curator import ai_share

    columns = ("artist", "model", "images", "ai", "share")
    _show(settings, lambda s: ai_share(s, model, min_images, limit), columns, as_json)


@predictions.command("lineage")
@click.argument("ident")
@AS_JSON
@click.pass_obj
def lineage_cmd(settings: Settings, ident: str, as_json: bool) -> None:
    """Where a prediction (IDENT: its id, or an artwork's id for its current ones) came from:
    model version, training dataset and the query that labelled it."""
    from graphkit.errors import GraphkitError
    from graphkit.predictions.curator import lineage

    with open_store(settings) as store:
        rows = lineage(store, ident)
    if not rows:
        raise GraphkitError(f"no prediction {ident!r}, and no node with current predictions")
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, sort_keys=True, default=str))
            continue
        dataset = row["dataset"] or f"{row['dataset_id']} (not in this graph)"
        click.echo(f"{row['prediction']} about {row['id']}: {row['label']} ({row['score']:.3f})")
        click.echo(f"  model    {row['model']} v{row['version']} {row['model_sha256'][:12]}")
        click.echo(f"           trained {row['trained_at']}, code {row['code_version']}")
        click.echo(
            f"  dataset  {dataset}"
            + (
                ""
                if row["same_dataset"] in (True, None)
                else " (rebuilt since the model was trained)"
            )
        )
        if row["query_name"]:
            click.echo(f"  query    {row['query_name']} (sha256 {row['query_hash'][:12]})")
            click.echo("           " + row["query"].replace("\n", "\n           "))
        if row["reviews"]:
            click.echo(f"  reviews  {', '.join(row['reviews'])}")


class ReviewGroup(click.Group):
    """`review ARTWORK_ID LABEL` is `review add ARTWORK_ID LABEL`, beside `review queue`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


@click.group(cls=ReviewGroup)
def review() -> None:
    """Record a person's decision about an artwork's prediction (`review ARTWORK_ID LABEL`),
    or list what to review next (`review queue`)."""


@review.command("add")
@click.argument("artwork_id")
@click.argument("label")
@click.option("--note", default=None, help="Why, for whoever reads the review later.")
@click.option("--by", default=None, help="Who decided (default: your user name).")
@MODEL
@click.pass_obj
def review_add(
    settings: Settings,
    artwork_id: str,
    label: str,
    note: str | None,
    by: str | None,
    model: str | None,
) -> None:
    """Record LABEL for ARTWORK_ID: it confirms or corrects each current prediction whose
    model has LABEL among its classes."""
    from graphkit.predictions.reviews import record_review

    with open_store(settings) as store:
        rows = record_review(store, artwork_id, label, note=note, by=by, model=model)
    for row in rows:
        click.echo(f"{row['review']}: {row['verdict']} {row['model']} ({row['predicted']})")


@review.command("queue")
@MODEL
@limit_option(20)
@AS_JSON
@click.pass_obj
def review_queue(settings: Settings, model: str | None, limit: int, as_json: bool) -> None:
    """What to review next: the most uncertain predictions no review has decided yet."""
    from graphkit.predictions.curator import uncertain

    columns = ("id", "model", "label", "score", "margin", "title")
    _show(settings, lambda s: uncertain(s, model, limit, unreviewed=True), columns, as_json)
