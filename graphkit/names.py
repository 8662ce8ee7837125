"""Person names: the attribution a source writes into a name, and the keys names match by.

An attribution ("(after)", "Attributed to", "Workshop of") says how a work relates to the
master, so it belongs on the CREATED_BY relationship, never in the artist's name. Titles
(Sir, Dame), particles (van, de) and post-nominals (RA) differ between sources for one person
and are left out of the keys; generational suffixes (the Elder, the Younger) tell two people
apart and are kept separately, so that they can refuse a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")

# Attribution phrases, longest first so that "copy after" wins over "after".
ATTRIBUTIONS: tuple[str, ...] = (
    "doubtfully attributed to",
    "formerly attributed to",
    "attributed to",
    "workshop of",
    "studio of",
    "follower of",
    "followers of",
    "circle of",
    "school of",
    "manner of",
    "style of",
    "imitator of",
    "pupil of",
    "copy after",
    "prints after",
    "after",
)
_PHRASE = "|".join(re.escape(p) for p in ATTRIBUTIONS)
_IN_PARENS = re.compile(rf"\(\s*({_PHRASE})\s*\)", re.IGNORECASE)  # "Sir Edwin (after) Landseer"
_PREFIX = re.compile(rf"^({_PHRASE})\s+(?=\S)", re.IGNORECASE)  # "Workshop of Diego Velázquez"
_SUFFIX = re.compile(  # 'Lippi-Pesellino Imitator (Italian, active c. 1450-1500)'
    r"[\s,]+(imitator|workshop|studio|follower)(?=\s*(?:\([^()]*\)\s*)?$)", re.IGNORECASE
)
_OR_WORKSHOP = re.compile(r"\s+or\s+((?:workshop|studio|circle|follower)\s+of)\s+.*$", re.I)

HONORIFICS = frozenset(
    [
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "revd",
        "reverend",
        "dr",
        "hon",
        "honourable",
        "mr",
        "mrs",
        "miss",
        "ms",
        "prof",
        "professor",
        "capt",
        "captain",
        "col",
        "colonel",
        "major",
        "general",
        "admiral",
        "baron",
        "baroness",
        "count",
        "countess",
        "earl",
        "viscount",
        "duke",
        "duchess",
        "marquess",
        "marquis",
        "prince",
        "princess",
        "fra",
        "brother",
        "father",
    ]
)
POST_NOMINALS = frozenset(
    [
        "ra",
        "pra",
        "ara",
        "rsa",
        "rws",
        "rbs",
        "frs",
        "cbe",
        "obe",
        "mbe",
        "kbe",
        "dbe",
        "ch",
        "om",
        "bart",
        "bt",
        "esq",
    ]
)
PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "di",
        "da",
        "del",
        "della",
        "dello",
        "dei",
        "degli",
        "der",
        "den",
        "des",
        "du",
        "la",
        "le",
        "las",
        "los",
        "ten",
        "ter",
        "zu",
        "af",
        "y",
        "d",
        "l",
        "t",
        "the",
    ]
)
GENERATIONS = {
    "elder": "elder",
    "senior": "elder",
    "sr": "elder",
    "younger": "younger",
    "junior": "younger",
    "jr": "younger",
    "ii": "ii",
    "iii": "iii",
    "iv": "iv",
}


@dataclass(frozen=True)
class PersonName:
    name: str
    attribution: str | None = None  # 'after', 'workshop of', … (lower case) or None


def split_attribution(raw: str) -> PersonName:
    """'(after) Sir Joshua Reynolds' → ('Sir Joshua Reynolds', 'after');
    'Workshop of Diego Velázquez' → ('Diego Velázquez', 'workshop of'). A phrase with no name
    beside it ('After') is the name itself."""
    text = _SPACES.sub(" ", raw).strip()
    attribution = None
    for pattern in (_IN_PARENS, _OR_WORKSHOP, _PREFIX, _SUFFIX):
        match = pattern.search(text)
        if match:
            rest = _SPACES.sub(" ", (text[: match.start()] + " " + text[match.end() :])).strip()
            if rest:
                found = match.group(1).lower()
                attribution = attribution or (
                    "or " + found if pattern is _OR_WORKSHOP else _as_phrase(found)
                )
                text = rest.strip(" ,")
    return PersonName(text, attribution)


def _as_phrase(found: str) -> str:
    """'imitator' → 'imitator of': a suffix reads as the phrase it stands for."""
    return found if " " in found or found == "after" else f"{found} of"


def name_tokens(name: str) -> list[str]:
    return _NON_ALNUM.sub(" ", unidecode(name).lower()).split()


def _core_tokens(tokens: list[str]) -> list[str]:
    """Tokens without titles in front, post-nominals at the end, particles after the first
    token and generational suffixes: what stays the same for one person across sources."""
    start = 0
    while start < len(tokens) - 1 and tokens[start] in HONORIFICS:
        start += 1
    end = len(tokens)
    while end > start + 1 and tokens[end - 1] in POST_NOMINALS:
        end -= 1
    kept = tokens[start:end]
    core = [
        t for i, t in enumerate(kept) if t not in GENERATIONS and (i == 0 or t not in PARTICLES)
    ]
    return core or kept


def generation(name: str) -> str | None:
    """'the Elder' / 'Sr' → 'elder'; 'the Younger' / 'Jr' → 'younger'; 'II' → 'ii'."""
    found = {GENERATIONS[t] for t in name_tokens(name)[1:] if t in GENERATIONS}
    return found.pop() if len(found) == 1 else None


def core_keys(tokens: list[str]) -> tuple[str, str]:
    core = _core_tokens(tokens)
    if not core:
        return "", ""
    full = " ".join(core)
    loose = f"{core[0]} {core[-1]}" if len(core) > 1 else core[0]
    return full, loose


_PARENS = re.compile(r"\(([^()]*)\)")


def name_variants(name: str) -> list[str]:
    """A name with a parenthesised alias, read each way it can mean, the name first:
    'Canaletto (Giovanni Antonio Canal)' and '(Giovanni Antonio Canal) Canaletto' both give
    'Canaletto' and 'Giovanni Antonio Canal'; 'Edouard (Jean-Edouard) Vuillard' gives
    'Edouard Vuillard' and 'Jean-Edouard Vuillard' (the alias stands for the forenames)."""
    match = _PARENS.search(name)
    if match is None or _PARENS.search(name, match.end()):
        return [name]
    alias = match.group(1).strip()
    before, after = name[: match.start()].strip(" ,"), name[match.end() :].strip(" ,")
    outside = _SPACES.sub(" ", f"{before} {after}").strip()
    # 'Master of the Giants (? Prince Hoare)' is a guess; '(Ian Burn, 1939-1993; …)' a group
    if "?" in alias or any(c.isdigit() for c in alias) or not outside:
        return [name]
    if before and after:  # an alias between forenames and surname stands for the forenames
        return [name, outside, f"{alias} {after}"]
    if alias == alias.lower() or " " not in alias:
        # '(inspired by)' is no name; a lone word ('Paolo Veronese (Caliari)', 'Bernardo
        # Bellotto (Canaletto)') is a family or a nickname, too loose a key on its own.
        return [name, outside]
    return [name, outside, alias]


def core_tokens(name: str) -> list[str]:
    """The tokens a person keeps across sources, titles dropped wherever they stand
    ('Frederic, Lord Leighton')."""
    return [t for t in _core_tokens(name_tokens(name)) if t not in HONORIFICS]
