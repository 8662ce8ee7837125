"""Printing rows and summaries for people (tables) and programs (JSON lines)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from graphkit.loader import LoadSummary

MAX_CELL = 60
_NUMBERS = re.compile(r"\d+")
_PATHS = re.compile(r"/\S+")


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(out)


def json_lines(rows: Iterable[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows)


def reject_reasons(summary: LoadSummary, top: int = 8) -> list[tuple[tuple[str, str], int]]:
    """The commonest reasons, ids and paths folded ('dangling artist id 12' → '... id N')."""
    reasons = Counter(
        (r.kind, _NUMBERS.sub("N", _PATHS.sub("<file>", r.reason))) for r in summary.rejects
    )
    return reasons.most_common(top)


def summary_text(summary: LoadSummary) -> str:
    rows = [
        (name, t.created, t.updated, t.unchanged, t.rejected)
        for name, t in summary.tallies.items()
        if t.created or t.updated or t.unchanged or t.rejected
    ]
    total = summary.total()
    rows.append(("total", total.created, total.updated, total.unchanged, total.rejected))
    head = f"{summary.source}: loaded in {summary.seconds:.1f} s"
    parts = [head, table(("entity", "created", "updated", "unchanged", "rejected"), rows)]
    if summary.rejects:
        parts.append(f"rejected, by reason (every row is listed in {summary.report_path}):")
        parts += [f"  {n:>6}  {kind}: {reason}" for (kind, reason), n in reject_reasons(summary)]
    if summary.notes:
        where = f" in {summary.notes_path}" if summary.notes_path else ""
        parts.append(f"{len(summary.notes)} note(s){where}, e.g.: {summary.notes[0]}")
    if summary.rules:
        where = f" (every case is listed in {summary.rules_path})" if summary.rules_path else ""
        parts.append(f"cleaning rules applied{where}:")
        parts += [f"  {n:>6}  {rule}" for rule, n in summary.rule_counts().items()]
    return "\n".join(parts)
