"""How clean a graph is, kind by kind: what the cleaning rules of issue 11 remove.

`graphkit stats --cleaning` prints these figures; a graph loaded under the old rules shows
non-zero counts that a fresh populate brings down (README, "How sources are cleaned").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphkit.lifespans import POSTHUMOUS_YEARS
from graphkit.names import ATTRIBUTIONS
from graphkit.normalize import movement_id, name_keys
from graphkit.places import country_name
from graphkit.store import GraphStore

# Attribution phrases as they appear inside names ('(after)', 'Workshop of ').
NAME_PHRASES = [f"({p})" for p in ATTRIBUTIONS] + [f"{p} " for p in ATTRIBUTIONS if " " in p]
NAME_PHRASES.append(" imitator")
TITLES = ["Sir", "Dame", "Lord", "Lady", "Rev.", "Revd", "Dr"]


def _twins(artists: list[dict[str, Any]]) -> int:
    """Artist nodes beyond the first with one name key and the same birth and death years:
    one person recorded twice."""
    groups: Counter[tuple[str, int, int]] = Counter()
    for row in artists:
        props = row["props"]
        birth, death = props.get("birth_year"), props.get("death_year")
        if birth is not None and death is not None:
            groups[(name_keys(props.get("name") or "")[0], birth, death)] += 1
    return sum(n - 1 for n in groups.values())


def _duplicate_countries(tops: list[dict[str, Any]]) -> int:
    """Top-level places beyond the first that name one country ('England' and 'UK' count
    as the United Kingdom only where ISO names them so)."""
    countries = Counter(country_name(str(row["name"] or "")) for row in tops)
    countries.pop(None, None)
    return sum(n - 1 for n in countries.values())


def cleaning_counts(store: GraphStore) -> dict[str, int]:
    """One figure per kind of problem; zero is clean."""
    attributed = store.read("quality/attributed_artist_names", phrases=NAME_PHRASES).rows[0]
    lone = store.read("quality/lone_places").rows[0]
    dates = store.read("quality/impossible_dates", posthumous=POSTHUMOUS_YEARS).rows[0]
    movements = store.read("quality/movement_names").rows
    tops = store.read("quality/top_places").rows
    return {
        "artists with an attribution in the name": int(attributed["artists"]),
        "works linked to them": int(attributed["works"]),
        "artists named with a title beside the same name without": int(
            store.read("quality/honorific_twins", titles=TITLES).value("n") or 0
        ),
        "artists recorded twice (same name and years)": _twins(
            store.read("load/artist_index").rows
        ),
        "top-level places that are no country": int(lone["lone"]),
        "of them named like a place under a country": int(lone["placed_elsewhere"]),
        "country nodes duplicating another": _duplicate_countries(tops),
        "movement nodes under a folded spelling": sum(
            1 for m in movements if movement_id(str(m["name"])) != m["id"]
        ),
        "artwork date ranges that end first": int(dates["inverted"]),
        "artwork years before 1000": int(dates["before_1000"]),
        "works dated outside their artist's life": int(dates["outside_lifespan"]),
    }
