"""The `graphkit` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from graphkit.errors import GraphkitError
from graphkit.loader import DEFAULT_BATCH_SIZE
from graphkit.options import batch_size_option, json_option, progress_option
from graphkit.output import json_lines, summary_text, table
from graphkit.settings import Settings
from graphkit.store import open_store


def parse_param(text: str) -> tuple[str, Any]:
    """name=value; the value is read as JSON when it parses (numbers, lists, maps, true)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--param")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Populate, query and analyse an art-collection graph.

    The graph is chosen by GRAPHKIT_GRAPH: embedded:DIR (the default, no server needed),
    bolt://host:7687 or neo4j://host:7687 (with NEO4J_USER and NEO4J_PASSWORD), or
    falkordb://host:6379.
    """
    ctx.obj = Settings.from_env()


@cli.command()
@click.argument(
    "source", type=click.Choice(["all", "tate", "datathon", "aic", "generated", "wikiart"])
)
@click.argument("path", type=click.Path(path_type=Path))
@batch_size_option(DEFAULT_BATCH_SIZE)
@progress_option()
@json_option("Print the summary as JSON.")
@click.pass_obj
def populate(
    settings: Settings, source: str, path: Path, batch_size: int, progress: bool, as_json: bool
) -> None:
    """Load SOURCE from PATH (or every source under the data directory PATH with `all`).

    Running it again changes nothing; rejected rows are listed in a report file.
    """
    from graphkit.populate import populate_all, populate_source

    def show(summary: Any) -> None:
        click.echo(json.dumps(summary.as_dict()) if as_json else summary_text(summary) + "\n")

    with open_store(settings) as store:
        click.echo(f"graph: {store.engine.describe()}", err=True)
        kwargs = {
            "batch_size": batch_size,
            "progress": progress,
            "reports_dir": settings.reports_dir,
        }
        if source == "all":
            populate_all(store, path, on_summary=show, **kwargs)
        else:
            show(populate_source(store, source, path, **kwargs))
        if not as_json:
            _print_stats(store, as_json=False)


@cli.group()
def schema() -> None:
    """Constraints and indexes."""


@schema.command("apply")
@click.pass_obj
def schema_apply(settings: Settings) -> None:
    """Create the uniqueness constraints and indexes that are missing (safe to repeat)."""
    from graphkit.schema import apply_schema

    with open_store(settings) as store:
        report = apply_schema(store)
    click.echo(f"created {len(report.created)}, already present {len(report.existing)}")
    for item in report.created:
        click.echo(f"  + {item}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--cleaning",
    is_flag=True,
    help="Also count what the cleaning rules remove (attributions in names, duplicated "
    "people, places and movements, impossible dates): non-zero on a graph loaded under "
    "older rules.",
)
@click.pass_obj
def stats(settings: Settings, as_json: bool, cleaning: bool) -> None:
    """Count nodes per label, relationships per type, and the identity figures."""
    with open_store(settings) as store:
        _print_stats(store, as_json)
        if cleaning:
            from graphkit.quality import cleaning_counts

            counts = cleaning_counts(store)
            if as_json:
                click.echo(json.dumps({"cleaning": counts}))
            else:
                click.echo()
                click.echo(table(("left to clean", "count"), counts.items()))


def _print_stats(store: Any, as_json: bool) -> None:
    labels = {r["label"]: r["count"] for r in store.read("stats/label_counts").rows}
    rels = {r["type"]: r["count"] for r in store.read("stats/relationship_counts").rows}
    rows = store.read("stats/identity").rows
    identity = {k: int(v or 0) for k, v in rows[0].items()} if rows else {}
    if as_json:
        summary = {"labels": labels, "relationships": rels, "identity": identity}
        click.echo(json.dumps(summary, sort_keys=True))
        return
    click.echo(table(("label", "nodes"), sorted(labels.items())))
    click.echo()
    click.echo(table(("relationship", "count"), sorted(rels.items())))
    click.echo()
    click.echo(
        table(("identity", "count"), [(k.replace("_", " "), v) for k, v in identity.items()])
    )


@cli.command("cypher")
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter ($NAME); VALUE is JSON when it parses. Repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per row.")
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@click.pass_obj
def cypher_cmd(
    settings: Settings, query: str, params: tuple[str, ...], as_json: bool, write: bool
) -> None:
    """Run QUERY against the configured graph and print its rows (read-only by default)."""
    values = dict(parse_param(p) for p in params)
    with open_store(settings) as store:
        result = store.cypher(query, values, write=write)
    if as_json:
        if result.rows:
            click.echo(json_lines(result.rows))
        return
    click.echo(table(result.columns, ([r.get(c) for c in result.columns] for r in result.rows)))
    click.echo(f"({len(result.rows)} row(s))", err=True)


@cli.group()
def server() -> None:
    """The embedded FalkorDB server (only for GRAPHKIT_GRAPH=embedded:...)."""


@server.command("status")
@click.pass_obj
def server_status(settings: Settings) -> None:
    """Say whether the embedded server is running and where its files are."""
    from graphkit.engines.embedded import EmbeddedServer

    if settings.graph.kind != "embedded":
        click.echo(f"the graph is {settings.graph.describe()}, not embedded")
        return
    srv = EmbeddedServer(settings.graph.location)
    state = "running" if srv.is_running() else "stopped"
    click.echo(f"{state}: data in {srv.directory}, socket {srv.socket_path}")


@server.command("stop")
@click.pass_obj
def server_stop(settings: Settings) -> None:
    """Stop the embedded server, saving its data, even if clients are connected."""
    from graphkit.engines.embedded import EmbeddedServer

    if settings.graph.kind != "embedded":
        raise GraphkitError(f"the graph is {settings.graph.describe()}, not embedded")
    stopped = EmbeddedServer(settings.graph.location).stop()
    click.echo("stopped" if stopped else "was not running")


def _register_subgroups() -> None:
    from api.cli import serve
    from graphkit.analytics.cli import analytics
    from graphkit.datasets.cli import dataset
    from graphkit.identity_cli import identity
    from graphkit.neo4j_cli import neo4j
    from graphkit.predictions.cli import predictions, review
    from graphkit.sync.cli import sync_command
    from graphkit.up import up
    from ml.cli import register as register_ml

    cli.add_command(dataset)
    cli.add_command(analytics)
    cli.add_command(neo4j)
    cli.add_command(serve)
    cli.add_command(sync_command)
    cli.add_command(predictions)
    cli.add_command(review)
    cli.add_command(up)
    cli.add_command(identity)
    register_ml(cli)


_register_subgroups()


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="graphkit", standalone_mode=False)
    except GraphkitError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
