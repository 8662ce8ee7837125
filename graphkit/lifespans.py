"""Artwork dates an artist's life makes impossible: dropped, never stored as facts.

A work the artist made themselves (role 'artist', no attribution such as 'after') cannot be
dated before the artist's birth, nor long after the death (casts and editions come a little
after, so some years are allowed). The sources' dates that break this are misreadings (a
number in a WikiArt title read as the year) or a later edition's date: the artwork keeps its
`date_text`, loses `year`, `year_start` and `year_end`, and the case goes to the rules report.
"""

from __future__ import annotations

from typing import Any

from graphkit.records import SourceBatch

# Casts, editions and prints follow the death: Tate dates Constable's English Landscape Scenery
# by its 1855 edition, 18 years after he died. Beyond 20 years only misreadings were found
# (datathon: Manet's and Morisot's 'Before the Mirror', 1932).
POSTHUMOUS_YEARS = 20
DATE_KEYS = ("year", "year_start", "year_end")


def _impossible(start: int | None, end: int | None, birth: Any, death: Any) -> str | None:
    if isinstance(birth, int) and start is not None and start < birth:
        return f"dated {start}, before the artist's birth in {birth}"
    if isinstance(death, int) and end is not None and end > death + POSTHUMOUS_YEARS:
        return f"dated {end}, {end - death} years after the artist's death in {death}"
    return None


def drop_dates_outside_lifespans(
    batch: SourceBatch, artist_ids: dict[str, str], artists: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Drop the dates of the batch's artworks that fall outside their own artist's life.
    ARTIST_IDS maps the batch's artist refs to nodes; ARTISTS holds each node's properties
    (birth_year, death_year) as identity resolution knows them, from every source."""
    works = batch.nodes.get("Artwork", {})
    evidence = []
    for (work_id, artist_ref), rel in batch.rels.get("CREATED_BY", {}).items():
        work = works.get(work_id)
        if work is None or rel.props.get("attribution") or rel.props.get("role") != "artist":
            continue
        start, end = work.props.get("year_start"), work.props.get("year_end")
        artist_id = artist_ids.get(artist_ref)
        props = artists.get(artist_id or "", {})
        why = _impossible(start, end, props.get("birth_year"), props.get("death_year"))
        if why is None:
            continue
        for key in DATE_KEYS:
            work.props.pop(key, None)
        evidence.append(
            {
                "rule": "date dropped",
                "artwork": work_id,
                "title": work.props.get("title"),
                "date_text": work.props.get("date_text"),
                "years": [start, end],
                "artist": artist_id,
                "why": why,
            }
        )
    return evidence


def lifespan_evidence(row: dict[str, Any]) -> dict[str, Any]:
    """The report entry for a date dropped in the graph (load/drop_dates_outside_lifespan)."""
    return {
        "rule": "date dropped",
        "artwork": row["artwork"],
        "title": row["title"],
        "date_text": row["date_text"],
        "years": [row["start"], row["end"]],
        "artist": row["artist"],
        "why": _impossible(row["start"], row["end"], row["birth"], row["death"]),
    }


def check_range(batch: SourceBatch, work_id: str, start: int | None, end: int | None) -> bool:
    """False, with the case logged, when a date range ends before it starts (Tate 42241:
    1828–1819): such a range is no fact to store."""
    if start is not None and end is not None and end < start:
        batch.rule("date dropped", artwork=work_id, years=[start, end], why="range ends first")
        return False
    return True
