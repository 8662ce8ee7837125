"""`graphkit neo4j start|status|stop`: the local Neo4j 5.26 (see graphkit.neo4j_local)."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.settings import Settings

DIR_OPTION = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the server keeps its data, log and password [default: DATA_DIR/neo4j].",
)


def _local(settings: Settings, directory: Path | None):  # -> LocalNeo4j
    from graphkit.neo4j_local import LocalNeo4j

    return LocalNeo4j(directory or settings.data_dir / "neo4j")


@click.group()
def neo4j() -> None:
    """A local Neo4j 5.26 Community server for people with Java 17+ and Maven but no Docker.

    eval "$(graphkit neo4j start)" starts it and points every later graphkit command at it.
    For production use docker compose (see the README) or an existing server.
    """


@neo4j.command("start")
@DIR_OPTION
@click.option("--port", default=0, show_default=True, help="Bolt port (0: any free port).")
@click.pass_obj
def start(settings: Settings, directory: Path | None, port: int) -> None:
    """Build (first use) and start the server in the background; print shell exports."""
    local = _local(settings, directory)
    was_running = local.status() is not None
    server = local.start(port=port)
    state = "already running" if was_running else "started"
    click.echo(f"local Neo4j {state} at {server.uri} (data in {local.directory})", err=True)
    # Only lines a shell can evaluate go to stdout.
    click.echo(server.shell_exports(), nl=False)


@neo4j.command("status")
@DIR_OPTION
@click.pass_obj
def status(settings: Settings, directory: Path | None) -> None:
    """Say whether the local server runs, and where."""
    local = _local(settings, directory)
    server = local.status()
    if server is None:
        click.echo(f"stopped (data in {local.directory})")
    else:
        click.echo(f"running: {server.uri} (pid {server.pid}, data in {local.directory})")


@neo4j.command("stop")
@DIR_OPTION
@click.pass_obj
def stop(settings: Settings, directory: Path | None) -> None:
    """Stop the local server cleanly."""
    stopped = _local(settings, directory).stop()
    click.echo("stopped" if stopped else "was not running")
