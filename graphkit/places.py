"""Place names to a hierarchy under a real country.

Countries come from ISO 3166 (pycountry: current and historic countries, English names);
the sources' romanised native names ('Nihon', 'Al-Magreb') from the alias table in
normalize.py. A chain whose top is not a country is put under one when its top is an ISO
3166-2 subdivision of exactly one country ('Kent', 'California', 'England'), a region or a
historic state ('Bavaria', 'Papal States', 'Kingdom of France': the modern country that holds
it), or a name of the form 'Kingdom of X' / 'Duchy of X' where X resolves. What still has no
country stays a top-level place and is reported as unresolved, never counted as a country.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from graphkit.gazetteer import Town, towns_named
from graphkit.names import name_tokens
from graphkit.normalize import COUNTRY_ALIASES, clean, slugify
from graphkit.records import SourceBatch

# English names kept where ISO's differ ('Russian Federation', 'Czechia'), so that ids and
# names stay those the graph already uses.
PREFERRED_NAMES = {
    "RU": "Russia",
    "CZ": "Czech Republic",
    "TR": "Turkey",
    "KR": "South Korea",
    "KP": "North Korea",
    "VN": "Vietnam",
    "SY": "Syria",
    "LA": "Laos",
}
# Regions and historic states no country list holds, by the modern country that holds them.
HISTORIC_STATES = {
    "papal states": "Italy",
    "republic of venice": "Italy",
    "venetian republic": "Italy",
    "republic of florence": "Italy",
    "republic of genoa": "Italy",
    "grand duchy of tuscany": "Italy",
    "duchy of milan": "Italy",
    "duchy of parma": "Italy",
    "duchy of modena and reggio": "Italy",
    "duchy of savoy": "Italy",
    "kingdom of sicily": "Italy",
    "state of the presidi": "Italy",
    "roman republic": "Italy",
    "lombardy": "Italy",
    "piedmont": "Italy",
    "marche": "Italy",
    "russian empire": "Russia",
    "russian sfsr": "Russia",
    "kiev governorate": "Ukraine",
    "taurida": "Ukraine",
    "congress poland": "Poland",
    "second polish republic": "Poland",
    "german empire": "Germany",
    "weimar republic": "Germany",
    "kingdom of prussia": "Germany",
    "kingdom of bavaria": "Germany",
    "kingdom of saxony": "Germany",
    "bavaria": "Germany",
    "westphalia": "Germany",
    "rhine province": "Germany",
    "province of brandenburg": "Germany",
    "margraviate of brandenburg": "Germany",
    "province of schleswig holstein": "Germany",
    "black forest": "Germany",
    "nassau dillenburg": "Germany",
    "swedish pomerania": "Germany",
    "free imperial city of frankfurt in the holy roman empire": "Germany",
    "austrian empire": "Austria",
    "empire of austria": "Austria",
    "tyrol": "Austria",
    "transleithania": "Hungary",
    "bohemia": "Czech Republic",
    "margraviate of moravia": "Czech Republic",
    "protectorate of bohemia and moravia": "Czech Republic",
    "dutch republic": "Netherlands",
    "holland": "Netherlands",
    "bishopric of utrecht": "Netherlands",
    "spanish netherlands": "Belgium",
    "southern netherlands": "Belgium",
    "duchy of brabant": "Belgium",
    "july monarchy": "France",
    "french second republic": "France",
    "french third republic": "France",
    "third french republic": "France",
    "normandy": "France",
    "burgundy": "France",
    "languedoc": "France",
    "ile de france": "France",
    "crown of castile": "Spain",
    "aragon": "Spain",
    "crete": "Greece",
    "grand duchy of finland": "Finland",
    "british india": "India",
    "travancore": "India",
    "british hong kong": "China",
    "saint domingue": "Haiti",
    "province of pennsylvania": "United States",
    "schlesien": "Poland",
    "niederschlesien": "Poland",
}
_STATE_OF = re.compile(
    r"^(?:kingdom|duchy|grand duchy|republic|empire|province|margraviate|principality|"
    r"county|electorate) of (.+)$"
)
_NOW = re.compile(r"\s*\((?:now|today|present day)\b[^)]*\)?\s*$", re.IGNORECASE)
_TRAILING_YEAR = re.compile(r"\s+\d{3,4}$")  # 'London 1681'
_GLUED = re.compile(r"([a-z])([A-Z])")  # 'New York CityNew York': two names run together
_NEAR = re.compile(r"^near\s+", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\[\w{1,3}\]")
NOT_PLACES = frozenset({"", "ibid", "unknown", "n a"})


def place_name(raw: object) -> str | None:
    """A place name without footnote marks, dates, 'near' or '(now …)':
    'France[1]' → 'France', 'London 1681' → 'London', 'Hungary (today Bratislava' → 'Hungary';
    None for what names no place ('?', 'Ibid.')."""
    name = clean(raw)
    if name is None:
        return None
    text = _FOOTNOTE.sub("", str(name))
    text = _NEAR.sub("", _TRAILING_YEAR.sub("", _NOW.sub("", text)))
    text = clean(text)
    if text is None or " ".join(name_tokens(text)) in NOT_PLACES:
        return None
    return text


def _key(name: str) -> str:
    return " ".join(name_tokens(name))


def _english(country: object) -> str:
    code = getattr(country, "alpha_2", "")
    if code in PREFERRED_NAMES:
        return PREFERRED_NAMES[code]
    common = getattr(country, "common_name", None)
    if common:
        return str(common)
    return str(country.name).split(", ")[0]  # 'Netherlands, Kingdom of the' → 'Netherlands'


@cache
def _countries() -> dict[str, str]:
    """Every spelling ISO 3166 gives a country (name, official name, common name, current and
    historic), by key → the English name used in the graph."""
    index: dict[str, str] = {}
    for country in list(pycountry.historic_countries) + list(pycountry.countries):
        english = _english(country)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[_key(str(value))] = english
                index[_key(str(value).split(", ")[0])] = english
        index[_key(english)] = english
    for native, english in COUNTRY_ALIASES.items():
        index[native] = _countries_alias_target(english, index)
    return index


def _countries_alias_target(english: str, index: dict[str, str]) -> str:
    return index.get(_key(english), english)


@cache
def _subdivision_countries() -> dict[str, frozenset[str]]:
    """ISO 3166-2 subdivision names → the English names of the countries that have one."""
    found: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is not None:
            found.setdefault(_key(sub.name), set()).add(_english(country))
    return {key: frozenset(c) for key, c in found.items()}


@cache
def _subdivisions() -> dict[str, str]:
    """ISO 3166-2 subdivision names that belong to exactly one country → its English name."""
    return {k: next(iter(c)) for k, c in _subdivision_countries().items() if len(c) == 1}


def _country_of_code(code: str) -> str | None:
    """The graph's English name of the country with ISO 3166 alpha-2 CODE."""
    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else country_name(_english(country)) or _english(country)


def place_id(names: list[str]) -> str:
    """'place:united-kingdom.kent': the chain from the top, so one name in two places is two."""
    return "place:" + ".".join(slugify(n) for n in names)


def country_name(name: str) -> str | None:
    """The English name of a country, or None when NAME is not a country."""
    return _countries().get(_key(name))


def country_above(name: str) -> str | None:
    """The country a region, subdivision or historic state lies in, or None."""
    key = _key(name)
    if key in HISTORIC_STATES:
        return HISTORIC_STATES[key]
    state = _STATE_OF.match(key)
    if state:
        inner = state.group(1)
        return country_name(inner) or HISTORIC_STATES.get(inner) or _subdivisions().get(inner)
    return _subdivisions().get(key)


def resolve_chain(names: list[str]) -> tuple[list[str], str | None]:
    """See _resolve_chain; the same chains recur thousands of times in a source."""
    chain, how = _resolve_chain(tuple("" if clean(n) is None else str(n) for n in names))
    return list(chain), how


@cache
def _resolve_chain(names: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    chain, how = _resolve(list(names))
    return tuple(chain), how


def _resolve(names: list[str]) -> tuple[list[str], str | None]:
    """Place names from the top down, cleaned and put under their country where one is
    known: (names, how the top was resolved: 'country', 'under its country' or None).
    ['Kent', 'Dover'] → (['United Kingdom', 'Kent', 'Dover'], 'under its country');
    ['Papal States', 'Bologna'] → (['Italy', 'Papal States', 'Bologna'], …)."""
    cleaned = [n for n in (place_name(x) for x in names) if n]
    if not cleaned:
        return [], None
    country = country_name(cleaned[0])
    if country:
        return [country, *cleaned[1:]], "country"
    above = country_above(cleaned[0])
    if above:
        return [above, *cleaned], "under its country"
    split = _split_trailing_place(cleaned[0])
    if split:
        return [*split, *cleaned[1:]], "under its country"
    return cleaned, None


def _split_trailing_place(name: str) -> list[str] | None:
    """'Grenaa Denmark' → ['Denmark', 'Grenaa']; 'OhioUnited States of America' →
    ['United States', 'Ohio']: a place written together with the country or state it is in."""
    words = _GLUED.sub(r"\1 \2", name).split()
    for size in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        country = country_name(tail)
        if country:
            return [country, head]
        above = country_above(tail)
        if above:
            return [above, tail, head]
    return None


def _top(place_id: str) -> str:
    return place_id.split(".", 1)[0]


def attach_lone_places(batch: SourceBatch, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A top-level place that is no country ('Rome', 'New York City') is put where another
    place of the same name already lies under a country, in the graph (EXISTING: rows of id,
    name, type) or in this batch, when that is exactly one country: its node, and every
    place below it, take the ids under that country, so the two become one node. Returns the
    rule's evidence, one entry per lone place, attached or left unresolved. A lone place the
    graph already holds stays where it is, so that a rerun changes nothing (a graph loaded
    under older rules is rebuilt instead: README)."""
    places = batch.nodes.get("Place", {})
    stored = {row["id"] for row in existing}
    from_batch = [(n.id, n.props.get("name"), n.props.get("type")) for n in places.values()]
    from_graph = [(r["id"], r.get("name"), r.get("type")) for r in existing]
    names = {pid: name for pid, name, _ in from_graph + from_batch}
    # The source's own places decide first, so that a rerun, which finds other sources'
    # places in the graph too, decides as the first run did.
    own = _placed(from_batch, from_batch + from_graph)
    everywhere = _placed(from_batch + from_graph, from_batch + from_graph)
    lone = sorted(
        pid
        for pid, node in places.items()
        if "." not in pid and node.props.get("type") != "country" and pid not in stored
    )
    evidence, moves, undecided = [], {}, []
    for lone_id in lone:
        name = str(places[lone_id].props.get("name") or "")
        found = own.get(_key(name)) or everywhere.get(_key(name), set())
        countries = sorted({_top(p) for p in found})
        if len(countries) == 1:
            target = min(found, key=lambda p: (p.count("."), p))
            moves[lone_id] = target
            _state_link_to_country(batch, target, names.get(countries[0]) or "")
            evidence.append(
                {
                    "rule": "place attached to its country",
                    "place": lone_id,
                    "name": name,
                    "to": target,
                    "country": names.get(countries[0]),
                    "by": "a place of that name under one country",
                }
            )
        else:
            undecided.append(Undecided(lone_id, name, {names.get(_top(p)) or "": p for p in found}))
    if undecided:
        countries = {
            pid: names[pid] for pid, _, kind in from_batch + from_graph if kind == "country"
        }
        evidence += _attach_by_gazetteer(batch, undecided, countries, moves)
    if moves:
        _move_places(batch, moves)
    return evidence


VOTE_SIZE_RATIO = 10  # the artists' country may hold a town down to a tenth of the largest


@dataclass(frozen=True)
class Undecided:
    """A lone place that no place of its name under one country claimed."""

    place_id: str
    name: str
    in_graph: dict[str, str]  # country → a place of this name under it, in the graph or batch


@dataclass(frozen=True)
class Candidate:
    """A country the gazetteer has a place of a lone place's name in."""

    country: str
    found: str  # what there is: 'GeoNames 3169070, population 2318895', or '' for the graph's
    size: float  # its population; a subdivision or a place in the graph has no size: inf


def _candidates(place: Undecided, towns: dict[str, tuple[Town, ...]]) -> dict[str, Candidate]:
    found = {c: Candidate(c, "", math.inf) for c in place.in_graph if c}
    for country in _subdivision_countries().get(_key(place.name), ()):
        found[country] = Candidate(country, "an ISO 3166-2 subdivision", math.inf)
    for town in towns.get(place.name, ()):
        country = _country_of_code(town.country_code)
        if country and country not in found:
            where = f"GeoNames {town.geonameid}, population {town.population}"
            found[country] = Candidate(country, where, town.population)
    return found


def _attach_by_gazetteer(
    batch: SourceBatch,
    undecided: list[Undecided],
    countries: dict[str, str],
    moves: dict[str, str],
) -> list[dict[str, Any]]:
    """Lone places put under a country the gazetteer names: the only country with a town (or
    an ISO 3166-2 subdivision) of that name, or the only one of those that the other places of
    the place's artists lie in, unless its town is a hamlet beside a namesake ten times its
    size (people move: Pissarro, born on Saint Thomas, died in France, which has a village
    of that name). The artists' places are read as placed so far, round after round until no
    place moves, so a load decides alike whether or not its places were placed before.
    COUNTRIES: top-level country ids → names. Adds to MOVES; returns the evidence."""
    towns = towns_named(place.name for place in undecided)
    evidence: list[dict[str, Any]] = []
    countries = dict(countries)

    def attach(place: Undecided, chosen: Candidate, by: str, among: list[str]) -> None:
        target = place.in_graph.get(chosen.country) or (
            f"{place_id([chosen.country])}.{place.place_id.removeprefix('place:')}"
        )
        moves[place.place_id] = target
        countries[_top(target)] = chosen.country
        _state_link_to_country(batch, target, chosen.country)
        evidence.append(
            {
                "rule": "place attached to its country",
                "place": place.place_id,
                "name": place.name,
                "to": target,
                "country": chosen.country,
                "by": by,
                "gazetteer": chosen.found or None,
                "countries": among,
            }
        )

    pending = []
    for place in undecided:
        found = _candidates(place, towns)
        if len(found) == 1:
            attach(place, *found.values(), "the only country with a place of that name", [*found])
        else:
            pending.append((place, found))
    while pending:
        voted = _artists_countries(batch, countries, moves)
        still = []
        for place, found in pending:
            largest = max((c.size for c in found.values()), default=0)
            agreeing = sorted(
                c
                for c in set(found) & voted.get(place.place_id, set())
                if found[c].size * VOTE_SIZE_RATIO >= largest
            )
            if len(agreeing) == 1:
                by = "the one of its countries its artists' other places are in"
                attach(place, found[agreeing[0]], by, sorted(found))
            else:
                still.append((place, found))
        if len(still) == len(pending):
            break
        pending = still
    for place, found in pending:
        evidence.append(
            {
                "rule": "place unresolved",
                "place": place.place_id,
                "name": place.name,
                "why": f"in {len(found)} countries" if found else "no country",
                "countries": sorted(found),
            }
        )
    return evidence


def _state_link_to_country(batch: SourceBatch, target: str, country: str) -> None:
    """A lone place moved right under COUNTRY: the batch states the country node and the link,
    whoever made them first. A rerun (or the rerun of a load cut short) that finds the place
    where this load put it then writes the same rows as the load that decided."""
    parent = target.rsplit(".", 1)[0]
    if "." in parent or parent == target:
        return  # deeper down: the link to its parent is another place's, stated with it
    if not batch.has_node("Place", parent):
        batch.add_node("Place", parent, {"name": country, "type": "country"}, None)
    batch.add_rel("LOCATED_IN", target, parent)


def _artists_countries(
    batch: SourceBatch, countries: dict[str, str], moves: dict[str, str]
) -> dict[str, set[str]]:
    """Top-level place id → the COUNTRIES (top id → name) that the other birth and death
    places of the artists born or dead there (or anywhere below it) lie in, read as MOVES
    (lone top id → its place under a country) places them."""

    def top(place: str) -> str:
        lone = _top(place)
        return _top(moves[lone]) if lone in moves else lone

    tops: dict[str, set[tuple[str, str]]] = {}  # artist → (the place's top, where it is now)
    for rel_type in ("BORN_IN", "DIED_IN"):
        for row in batch.rels.get(rel_type, {}).values():
            tops.setdefault(row.start, set()).add((_top(row.end), top(row.end)))
    voted: dict[str, set[str]] = {}
    for places in tops.values():
        named = {countries[placed] for _, placed in places if placed in countries}
        for lone, placed in places:
            if placed not in countries:
                voted.setdefault(lone, set()).update(named)
    return voted


def _placed(
    places: list[tuple[str, Any, Any]], known: list[tuple[str, Any, Any]]
) -> dict[str, set[str]]:
    """Name key → ids of the PLACES (id, name, type) that lie under a country."""
    countries = {pid for pid, _, kind in known if kind == "country"}
    placed: dict[str, set[str]] = {}
    for place_id, name, _ in places:
        if "." in place_id and name and _top(place_id) in countries:
            placed.setdefault(_key(str(name)), set()).add(place_id)
    return placed


def _move_places(batch: SourceBatch, moves: dict[str, str]) -> None:
    """Rename place ids (and the ids below them) in the batch's nodes and relationships."""

    def moved(place_id: str) -> str:
        top, dot, rest = place_id.partition(".")
        return moves[top] + dot + rest if top in moves else place_id

    old = batch.nodes["Place"]
    batch.nodes["Place"] = {}
    for node in old.values():
        for source_id in node.source_ids or [None]:
            batch.add_node("Place", moved(node.id), node.props, source_id)
    for rel_type, rels in list(batch.rels.items()):
        if rel_type not in ("LOCATED_IN", "BORN_IN", "DIED_IN"):
            continue
        batch.rels[rel_type] = {}
        for row in rels.values():
            start = moved(row.start) if rel_type == "LOCATED_IN" else row.start
            batch.add_rel(rel_type, start, moved(row.end), row.props)
