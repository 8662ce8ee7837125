"""Command-line options several commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

Decorator = Callable[[Any], Any]


def batch_size_option(default: int, help: str = "Rows per write transaction.") -> Decorator:
    return click.option(
        "--batch-size", type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


def progress_option(help: str = "Show a progress bar on stderr.") -> Decorator:
    return click.option("--progress/--no-progress", default=True, help=help)


def json_option(help: str = "Print the report as JSON.") -> Decorator:
    return click.option("--json", "as_json", is_flag=True, help=help)
