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

import re
from functools import cache
from typing import Any

import pycountry

from graphkit.names import name_tokens
from graphkit.normalize import COUNTRY_ALIASES, clean
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
def _subdivisions() -> dict[str, str]:
    """ISO 3166-2 subdivision names that belong to exactly one country → its English name."""
    found: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is not None:
            found.setdefault(_key(sub.name), set()).add(_english(country))
    return {key: next(iter(c)) for key, c in found.items() if len(c) == 1}


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
    evidence, moves = [], {}
    for place_id in lone:
        name = str(places[place_id].props.get("name") or "")
        found = own.get(_key(name)) or everywhere.get(_key(name), set())
        countries = sorted({_top(p) for p in found})
        if len(countries) == 1:
            target = min(found, key=lambda p: (p.count("."), p))
            moves[place_id] = target
            evidence.append(
                {
                    "rule": "place attached to its country",
                    "place": place_id,
                    "name": name,
                    "to": target,
                    "country": names.get(countries[0]),
                }
            )
        else:
            why = "no country" if not countries else f"in {len(countries)} countries"
            evidence.append(
                {
                    "rule": "place unresolved",
                    "place": place_id,
                    "name": name,
                    "why": why,
                    "countries": [names.get(c) for c in countries],
                }
            )
    if moves:
        _move_places(batch, moves)
    return evidence


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
