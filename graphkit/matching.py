"""A scored comparison of two person records, for the pairs the explainable rules leave open.

Each feature adds a log-odds weight (Fellegi-Sunter style) with a line of evidence: names
after normalisation (the same letters once punctuation is gone, one forename list inside the
other, a forename in common, forenames that are variants of one another by Jaro-Winkler
similarity (rapidfuzz), initials, a different surname), and each of the birth and death
years (agreeing, within the sources' usual year of doubt, disputed by a few years, far
apart), then the context: the birth place (the same place, or different countries) and the
movements in common. The sum, with a prior against any two records being one person,
becomes a score in [0, 1]: at MERGE_AT or above the pair is one person, from REVIEW_AT it is
a candidate for a curator, below it nothing. Two records of one source are never more than
a candidate (a source's own ids are distinct people unless a curator says otherwise), and
the context alone never merges: a painter's wife shares his movement, a pupil his town.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler

from graphkit.names import core_tokens, name_variants

MERGE_AT = 0.9
REVIEW_AT = 0.5
PRIOR = -3.0  # log-odds that two records sharing a surname block are one person
FORENAME_VARIANT = 0.88  # Jaro-Winkler similarity of 'anthony' / 'anthonis', 'frederic(k)'
SURNAME_VARIANT = 0.92
YEAR_DOUBT = 2  # the rules' tolerance: sources disagree by a year or two on uncertain dates
YEAR_DISPUTE = 10  # beyond this, two years name two lives
SAME_BIRTHPLACE = 1.5
BIRTH_COUNTRIES_DIFFER = -2.0
MOVEMENT_IN_COMMON = 0.5
CONTEXT_CAP = MERGE_AT - 0.01  # the most context can lift a pair to: the top of review


@dataclass(frozen=True)
class Profile:
    """What the comparison reads of a record or a node."""

    names: tuple[str, ...]
    birth_year: int | None = None
    death_year: int | None = None
    sources: frozenset[str] = frozenset()
    born_in: frozenset[str] = frozenset()  # Place ids ('place:italy.rome')
    movements: frozenset[str] = frozenset()  # Movement ids


@dataclass
class Score:
    score: float
    evidence: list[str] = field(default_factory=list)
    disputed: dict[str, list[int]] = field(default_factory=dict)  # e.g. birth_year: [1893, 1885]

    @property
    def verdict(self) -> str:
        if self.score >= MERGE_AT:
            return "same"
        return "possible" if self.score >= REVIEW_AT else "different"


def block_keys(name: str) -> set[str]:
    """Keys that bring candidate pairs together: the surname, and the last two tokens and
    all tokens run together ('o keeffe' and 'okeeffe' meet on 'okeeffe')."""
    keys: set[str] = set()
    for variant in name_variants(name):
        tokens = core_tokens(variant)
        if any(
            c.isdigit() for c in "".join(tokens)
        ):  # 'British School 18th century', a group's dates
            continue
        if tokens:
            keys |= {tokens[-1], "".join(tokens[-2:]), "".join(tokens)}
    return {k for k in keys if len(k) > 2}


def _name_weight(one: str, other: str) -> tuple[float, str]:
    a, b = core_tokens(one), core_tokens(other)
    if not a or not b:
        return -4.0, "a name without letters"
    if "".join(a) == "".join(b):
        return 6.0, f"same name ({' '.join(a)})"
    if a[-1] != b[-1] and JaroWinkler.similarity(a[-1], b[-1]) < SURNAME_VARIANT:
        return -4.0, f"surnames differ ({a[-1]} / {b[-1]})"
    first_a, first_b = a[:-1], b[:-1]
    if not first_a or not first_b:
        return 2.0, f"one name is the surname alone ({a[-1]})"
    if set(first_a) <= set(first_b) or set(first_b) <= set(first_a):
        return 4.5, f"forenames of one are among the other's ({' '.join(a)} / {' '.join(b)})"
    if set(first_a) & set(first_b):
        return 2.0, f"a forename in common ({' '.join(sorted(set(first_a) & set(first_b)))})"
    fa, fb = first_a[0], first_b[0]
    similarity = JaroWinkler.similarity(fa, fb)
    prefix = min(len(fa), len(fb)) >= 3 and (fa.startswith(fb) or fb.startswith(fa))
    if similarity >= FORENAME_VARIANT or prefix:
        return 4.0, f"forenames are variants ({fa} / {fb}, similarity {similarity:.2f})"
    if min(len(fa), len(fb)) == 1 and fa[0] == fb[0]:
        return 2.0, f"initials agree ({fa[0]})"
    return -3.0, f"forenames differ ({fa} / {fb})"


def _year_weight(kind: str, a: int | None, b: int | None) -> tuple[float, str | None]:
    if a is None or b is None:
        return 0.0, None
    gap = abs(a - b)
    if gap == 0:
        return 3.0, f"{kind} years agree ({a})"
    if gap <= YEAR_DOUBT:
        return 2.0, f"{kind} years within {YEAR_DOUBT} ({a} / {b})"
    if gap <= YEAR_DISPUTE:
        return -3.0, f"{kind} years disputed ({a} / {b})"
    return -7.0, f"{kind} years far apart ({a} / {b})"


def _country(place_id: str) -> str | None:
    """'place:italy.rome' → 'italy'; None for a top-level place, which has no known country."""
    top, dot, _ = place_id.removeprefix("place:").partition(".")
    return top if dot else None


def _context_weights(one: Profile, other: Profile) -> list[tuple[float, str]]:
    weights = []
    if one.born_in and other.born_in:
        same = sorted(one.born_in & other.born_in)
        countries_one = {c for c in map(_country, one.born_in) if c}
        countries_other = {c for c in map(_country, other.born_in) if c}
        if same:
            weights.append((SAME_BIRTHPLACE, f"born in the same place ({same[0]})"))
        elif countries_one and countries_other and not countries_one & countries_other:
            shown = f"{', '.join(sorted(countries_one))} / {', '.join(sorted(countries_other))}"
            weights.append((BIRTH_COUNTRIES_DIFFER, f"born in different countries ({shown})"))
    movements = sorted(one.movements & other.movements)
    if movements:
        weights.append((MOVEMENT_IN_COMMON, f"a movement in common ({movements[0]})"))
    return weights


def _probability(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds))


def score_pair(one: Profile, other: Profile) -> Score:
    """How likely ONE and OTHER are one person, with the evidence for it."""
    variants_one = [v for n in one.names for v in name_variants(n)]
    variants_other = [v for n in other.names for v in name_variants(n)]
    weight, why = max(
        (_name_weight(a, b) for a in variants_one for b in variants_other),
        default=(-4.0, "no names"),
    )
    total, evidence, disputed = PRIOR + weight, [why], {}
    for kind, a, b in (
        ("birth", one.birth_year, other.birth_year),
        ("death", one.death_year, other.death_year),
    ):
        year_weight, line = _year_weight(kind, a, b)
        total += year_weight
        if line:
            evidence.append(line)
        if a is not None and b is not None and a != b:
            disputed[f"{kind}_year"] = [b, a]  # the node's value first, then the record's
    by_names_and_years = _probability(total)
    for context_weight, line in _context_weights(one, other):
        total += context_weight
        evidence.append(line)
    score = _probability(total)
    if by_names_and_years < MERGE_AT <= score:
        score = max(CONTEXT_CAP, by_names_and_years)
        evidence.append("places and movements alone never merge: left for review")
    shared = one.sources & other.sources
    if shared and score >= MERGE_AT:
        score = min(score, (REVIEW_AT + MERGE_AT) / 2)
        evidence.append(f"both recorded by {', '.join(sorted(shared))}: left for review")
    return Score(round(score, 4), evidence, disputed)
