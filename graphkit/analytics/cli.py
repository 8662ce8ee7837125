"""`graphkit analytics ...` commands."""

from __future__ import annotations

import click


@click.group()
def analytics() -> None:
    """Graph analytics with networkx, written back to the graph."""
