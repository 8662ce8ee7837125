"""`graphkit dataset ...` commands."""

from __future__ import annotations

import click


@click.group()
def dataset() -> None:
    """Labelled image datasets built from graph queries."""
