"""Cleaning rules shared by every source: absent values, names, years, movement names, ids."""

from __future__ import annotations

import math
import re
from typing import Any

from unidecode import unidecode

from graphkit.names import core_keys, name_tokens

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_YEAR = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")
_RANGE = re.compile(r"(?<!\d)(\d{3,4})\s*(?:-|–|—|to)\s*(\d{2,4})(?!\d)")
_CENTURY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\s+century", re.IGNORECASE)
_GENERATION_SUFFIX = re.compile(
    r",\s*((?:the\s+)?(?:elder|younger)|jr\.?|sr\.?|ii|iii)\s*$", re.IGNORECASE
)
# 'Millais, Sir John Everett, Bt': a post-nominal after the last comma is no forename.
_POST_NOMINAL_SUFFIX = re.compile(
    r",\s*((?:ra|pra|ara|rsa|rws|frs|cbe|obe|mbe|kbe|dbe|ch|om|bart|bt)\.?)\s*$", re.IGNORECASE
)
MIN_YEAR, MAX_YEAR = 1000, 2100

# Spellings of one movement that normalisation alone does not unite.
MOVEMENT_ALIASES = {
    "naive art primitivism": "Naive Art (Primitivism)",
    "naive art": "Naive Art (Primitivism)",
    "primitivism": "Naive Art (Primitivism)",
    "ukiyo e": "Ukiyo-e",
    "abstract expressionism": "Abstract Expressionism",
    "pop art": "Pop Art",
    "naive": "Naive Art (Primitivism)",
    # One spelling per movement (issue 11): the others stay on the node as aliases.
    "neo classicism": "Neoclassicism",
    "purismo": "Purism",
    "supremetism": "Suprematism",
    "aesthetic movement": "Aestheticism",
    "decadent movement": "Decadence",
    "regional": "Regionalism",
}
_ADJECTIVE = re.compile(r"^([A-Z][a-z]+)ist$")  # 'Mannerist' → 'Mannerism', one word only


def clean(value: Any) -> Any:
    """Empty strings, whitespace and NaN become None; strings are stripped."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        value = _SPACES.sub(" ", value).strip()
        return value or None
    try:  # pandas' NA and NaT
        if value != value:
            return None
    except (TypeError, ValueError):
        pass
    return value


def clean_props(props: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values, so they become absent properties rather than empty strings."""
    cleaned = {k: clean(v) for k, v in props.items()}
    return {k: v for k, v in cleaned.items() if v is not None}


def as_int(value: Any) -> int | None:
    """An id or count that may arrive as float, string or NaN."""
    value = clean(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def slugify(text: str) -> str:
    return _NON_ALNUM.sub("-", unidecode(text).lower()).strip("-")


def parse_year(value: Any) -> int | None:
    """The first plausible year in a date text: '1840-11-14', 'c. 1895', 1888.0, '1880s'."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, int | float):
        year = int(value)
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    text = str(value)
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
    century = _CENTURY.search(text)
    if century:  # '1st century' would be year 0, which does not exist: no year then
        year = (int(century.group(1)) - 1) * 100
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    return None


def parse_year_range(value: Any) -> tuple[int | None, int | None]:
    """(start, end) of '1871–1872', '1871-72', 'c. 1895' (start == end), or (None, None)."""
    value = clean(value)
    if value is None:
        return None, None
    text = str(value)
    match = _RANGE.search(text)
    if match:
        start, end_text = int(match.group(1)), match.group(2)
        end = int(end_text)
        if len(end_text) < len(match.group(1)):  # '1871-72' → 1872
            end = int(match.group(1)[: -len(end_text)] + end_text)
        if MIN_YEAR <= start <= end <= MAX_YEAR:
            return start, end
    year = parse_year(text)
    return year, year


def year_props(start: int | None, end: int | None = None) -> dict[str, int | None]:
    """An artwork's date as properties: `year` (its start, for sorting and display) and the
    range `year_start`..`year_end` (one year when the source gives one)."""
    return {"year": start, "year_start": start, "year_end": start if end is None else end}


def display_name(raw: Any) -> str | None:
    """'Monet, Claude' → 'Claude Monet'; 'claude-monet' → 'Claude Monet'; spaces collapsed."""
    name = clean(raw)
    if name is None:
        return None
    name = str(name)
    suffix = _GENERATION_SUFFIX.search(name) or _POST_NOMINAL_SUFFIX.search(name)
    if suffix:
        name = name[: suffix.start()]
    if name.count(",") == 1:
        surname, forenames = (part.strip() for part in name.split(","))
        if surname and forenames:
            name = f"{forenames} {surname}"
    if " " not in name and "-" in name and name == name.lower():
        name = " ".join(part.capitalize() for part in name.split("-") if part)
    if suffix:
        name = f"{name} {suffix.group(1)}"
    return _SPACES.sub(" ", name).strip() or None


def name_keys(name: str) -> tuple[str, str]:
    """(full, loose): the name's tokens, and first + last ('claude oscar monet' → 'claude
    monet'), both without titles, particles, post-nominals or generational suffixes
    ('Sir Anthony van Dyck' → 'anthony dyck')."""
    return core_keys(name_tokens(display_name(name) or ""))  # 'Monet, Claude' → Claude Monet


def movement_name(raw: Any) -> str | None:
    """'Post_Impressionism', 'post-impressionism' → 'Post-Impressionism'."""
    name = clean(raw)
    if name is None:
        return None
    name = _SPACES.sub(" ", str(name).replace("_", " ")).strip()
    key = " ".join(name_tokens(name))
    if key in MOVEMENT_ALIASES:
        return MOVEMENT_ALIASES[key]
    if name == name.lower() or name == name.upper():
        name = "-".join(part.title() for part in name.split("-"))
    return _ADJECTIVE.sub(r"\1ism", name)


def movement_alias(raw: Any) -> str | None:
    """The source's own spelling when the rules above replaced it by another name
    ('Neo-Classicism' for Neoclassicism), to keep on the node as an alias."""
    name, canonical = clean(raw), movement_name(raw)
    if name is None or canonical is None:
        return None
    name = _SPACES.sub(" ", str(name).replace("_", " ")).strip()
    return name if name_tokens(name) != name_tokens(canonical) else None


def movement_id(name: str) -> str:
    return "movement:" + slugify(movement_name(name) or name)


def keyed_id(kind: str, name: str) -> str:
    """Shared-entity ids from a normalised name: 'medium:oil-on-canvas'."""
    return f"{kind}:{slugify(name)}"


# Sources name countries in their own language (Tate: 'Deutschland', 'Nihon'); one English name
# per country lets places from different sources share their country node. English and ISO
# names come from pycountry (graphkit/places.py); this table holds only romanised native names.
COUNTRY_ALIASES = {
    "deutschland": "Germany",
    "italia": "Italy",
    "eire": "Ireland",
    "schweiz": "Switzerland",
    "nederland": "Netherlands",
    "belgie": "Belgium",
    "polska": "Poland",
    "espana": "Spain",
    "rossiya": "Russia",
    "brasil": "Brazil",
    "osterreich": "Austria",
    "nihon": "Japan",
    "bharat": "India",
    "zhonghua": "China",
    "ceska republika": "Czech Republic",
    "ukrayina": "Ukraine",
    "mexico": "Mexico",
    "sverige": "Sweden",
    "yisra el": "Israel",
    "hrvatska": "Croatia",
    "romania": "Romania",
    "ellas": "Greece",
    "magyarorszag": "Hungary",
    "danmark": "Denmark",
    "misr": "Egypt",
    "iran": "Iran",
    "al lubnan": "Lebanon",
    "slovenija": "Slovenia",
    "turkiye": "Turkey",
    "jugoslavija": "Yugoslavia",
    "slovenska republika": "Slovakia",
    "norge": "Norway",
    "lietuva": "Lithuania",
    "peru": "Peru",
    "al jaza ir": "Algeria",
    "suriyah": "Syria",
    "latvija": "Latvia",
    "taehan min guk": "South Korea",
    "viet nam": "Vietnam",
    "suomi": "Finland",
    "bosna i hercegovina": "Bosnia and Herzegovina",
    "makedonija": "North Macedonia",
    "pilipinas": "Philippines",
    "eesti": "Estonia",
    "srbija": "Serbia",
    "shqiperia": "Albania",
    "kypros": "Cyprus",
    "island": "Iceland",
    "letzebuerg": "Luxembourg",
    "al maghrib": "Morocco",
    "al iraq": "Iraq",
    "united states of america": "United States",
    "usa": "United States",
    "us": "United States",
    "u s": "United States",
    "uk": "United Kingdom",
    "great britain": "United Kingdom",
    # Tate's romanised spellings that no country list holds.
    "al magreb": "Morocco",
    "as sudan": "Sudan",
    "chung hua min kuo": "China",
    "choson minjujuui in min konghwaguk": "North Korea",
    "prathet thai": "Thailand",
    "cameroun": "Cameroon",
    "lao": "Laos",
    "korea": "South Korea",
}
