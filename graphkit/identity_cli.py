"""`graphkit identity`: the candidate pairs for review, and a curator's merge or separation."""

from __future__ import annotations

import json

import click

from graphkit.options import json_option
from graphkit.output import table
from graphkit.settings import Settings
from graphkit.store import open_store

WHO = click.option("--by", "who", default=None, help="Who decided (default: your user name).")
NOTE = click.option("--note", default=None, help="Why, for whoever reads the decision later.")


@click.group()
def identity() -> None:
    """Review whether two Artist nodes are one person: `queue`, `merge`, `separate`, `split`."""


@identity.command("queue")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@json_option("Print one JSON object per pair.")
@click.pass_obj
def queue(settings: Settings, limit: int, as_json: bool) -> None:
    """Candidate pairs (POSSIBLY_SAME), best score first, both records side by side."""
    from graphkit.identity_review import review_queue

    with open_store(settings) as store:
        rows = review_queue(store, limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(
        table(
            ("score", "one", "years", "other", "years", "evidence"),
            [
                (
                    f"{r['score']:.2f}",
                    r["one"],
                    f"{r['one_birth']}-{r['one_death']}",
                    r["other"],
                    f"{r['other_birth']}-{r['other_death']}",
                    "; ".join(r["evidence"] or []),
                )
                for r in rows
            ],
        )
    )


def _decide(
    settings: Settings, one: str, other: str, verdict: str, who: str | None, note: str | None
) -> None:
    from graphkit.identity_review import decide
    from graphkit.predictions.reviews import reviewer

    with open_store(settings) as store:
        decision = decide(store, one, other, verdict, who or reviewer(), note)
    click.echo(f"{decision['id']}: {one} and {other} are {verdict} ({decision['who']})")


@identity.command("merge")
@click.argument("keep")
@click.argument("other")
@WHO
@NOTE
@click.pass_obj
def merge(settings: Settings, keep: str, other: str, who: str | None, note: str | None) -> None:
    """KEEP and OTHER are one person: OTHER's relationships and ids move onto KEEP."""
    _decide(settings, keep, other, "same", who, note)


@identity.command("separate")
@click.argument("one")
@click.argument("other")
@WHO
@NOTE
@click.pass_obj
def separate(settings: Settings, one: str, other: str, who: str | None, note: str | None) -> None:
    """ONE and OTHER are different people: never proposed or merged again."""
    _decide(settings, one, other, "different", who, note)


@identity.command("split")
@click.argument("node_id")
@click.argument("source_id")
@WHO
@click.pass_obj
def split(settings: Settings, node_id: str, source_id: str, who: str | None) -> None:
    """Undo a merge: SOURCE_ID's person leaves NODE_ID with the works that source gave it."""
    from graphkit.identity_review import split_node
    from graphkit.predictions.reviews import reviewer

    with open_store(settings) as store:
        decision = split_node(store, node_id, source_id, who or reviewer())
    click.echo(f"{decision['id']}: {source_id} split off {node_id} as {decision['other']}")
