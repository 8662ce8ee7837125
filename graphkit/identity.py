"""Artist identity across sources: one person, one node, every source id recorded on it.

A record matches an existing Artist when a name key agrees (all tokens, or first + last token,
accents, punctuation, titles and particles ignored), no birth or death year contradicts, no
generational suffix contradicts (the Elder is not the Younger), and the node does not already
hold another id from the same source (a source's own ids are distinct people), with two
exceptions: a record whose name carried an attribution ("(after) X") names the master X, and
two records of one source with the same name and the same birth and death years are one
person (a duplicated record). Years that agree confirm a match; without years a name-only
match is accepted only when it is the single candidate. Ties between candidates are never
guessed: a new node is made and noted. Every merge and every refusal is kept as evidence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graphkit.names import generation
from graphkit.normalize import name_keys, slugify

YEAR_TOLERANCE = 2  # sources disagree by a year on uncertain dates


@dataclass
class ArtistRecord:
    """An artist as one source states it."""

    source_id: str  # e.g. "tate:artist:1234"
    name: str
    birth_year: int | None = None
    death_year: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    attribution: str | None = None  # the record names the master of an "after" work

    @property
    def source(self) -> str:
        return self.source_id.split(":", 1)[0]


@dataclass
class KnownArtist:
    id: str
    props: dict[str, Any]
    source_ids: set[str]
    keys: set[str]
    full_keys: set[str]
    generations: set[str] = field(default_factory=set)
    attributed_ids: set[str] = field(default_factory=set)  # records that named it as master

    @property
    def sources(self) -> set[str]:
        """Sources with a record of this person (not merely of works 'after' them)."""
        return {sid.split(":", 1)[0] for sid in self.source_ids - self.attributed_ids}


@dataclass
class Resolution:
    artist_id: str
    created: bool
    props: dict[str, Any] = field(default_factory=dict)  # what the node lacks, to be written
    note: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # merges made or refused


def _years_conflict(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and abs(a - b) > YEAR_TOLERANCE


def _years_agree(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= YEAR_TOLERANCE


class ArtistResolver:
    def __init__(self, existing: list[dict[str, Any]] | None = None) -> None:
        self.artists: dict[str, KnownArtist] = {}
        self._by_source_id: dict[str, str] = {}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for row in existing or []:
            props = dict(row.get("props") or {})
            names = [props.get("name") or "", *(props.get("aliases") or [])]
            self._remember(row["id"], props, set(props.get("source_ids") or []), names)

    def _remember(
        self, artist_id: str, props: dict[str, Any], source_ids: set[str], names: list[str]
    ) -> KnownArtist:
        known = self.artists.get(artist_id)
        if known is None:
            known = KnownArtist(artist_id, props, set(), set(), set())
            self.artists[artist_id] = known
        known.source_ids |= source_ids
        for sid in source_ids:
            self._by_source_id[sid] = artist_id
        for name in names:
            full, loose = name_keys(name)
            for key in (full, loose):
                if key:
                    known.keys.add(key)
                    self._by_key[key].add(artist_id)
            if full:
                known.full_keys.add(full)
            if generation(name):
                known.generations.add(generation(name) or "")
        return known

    def resolve(self, record: ArtistRecord) -> Resolution:
        incoming = {
            "name": record.name,
            "birth_year": record.birth_year,
            "death_year": record.death_year,
            **record.props,
        }
        known_id = self._by_source_id.get(record.source_id)
        if known_id is not None:
            return Resolution(known_id, False, self._fill(known_id, incoming, record.source_id))
        names = [record.name, *record.aliases]
        keys = {key for name in names for key in name_keys(name) if key}
        full_keys = {name_keys(name)[0] for name in names} - {""}
        generations = {g for g in map(generation, names) if g}
        candidates, evidence = [], []
        for artist_id in sorted({aid for key in keys for aid in self._by_key.get(key, ())}):
            known = self.artists[artist_id]
            birth, death = known.props.get("birth_year"), known.props.get("death_year")
            refusal = self._refusal(record, known, full_keys, generations)
            if refusal:
                evidence.append(_evidence("artist merge refused", record, known, refusal))
                continue
            confirmations = int(_years_agree(record.birth_year, birth)) + int(
                _years_agree(record.death_year, death)
            )
            exact = int(bool(full_keys & known.full_keys))
            candidates.append((confirmations, exact, artist_id))
        note = None
        if candidates:
            candidates.sort(reverse=True)
            best = candidates[0]
            runner_up = candidates[1] if len(candidates) > 1 else None
            clear_winner = runner_up is None or runner_up[:2] < best[:2]
            # Without a single candidate, only agreeing years or an exact name may decide.
            if clear_winner and (runner_up is None or best[0] > 0 or best[1] > 0):
                known = self.artists[best[2]]
                why = _merge_reason(record, known, best)
                evidence.append(_evidence("artist merged", record, known, why))
                if record.source in known.sources and not record.attribution:
                    note = (
                        f"{record.source_id} ({record.name}, {record.birth_year}-"
                        f"{record.death_year}) is a duplicate record of {best[2]}: merged"
                    )
                self._remember(best[2], {}, {record.source_id}, names)
                if record.attribution:
                    known.attributed_ids.add(record.source_id)
                return Resolution(best[2], False, self._fill(best[2], incoming), note, evidence)
            note = (
                f"{record.source_id} ({record.name}) could be any of "
                f"{', '.join(c[2] for c in candidates)}: kept apart"
            )
        artist_id = self._new_id(record)
        known = self._remember(artist_id, {}, {record.source_id}, names)
        if record.attribution:
            known.attributed_ids.add(record.source_id)
        return Resolution(artist_id, True, self._fill(artist_id, incoming), note, evidence)

    @staticmethod
    def _refusal(
        record: ArtistRecord, known: KnownArtist, full_keys: set[str], generations: set[str]
    ) -> str | None:
        """Why KNOWN cannot be the person RECORD names, or None when it can."""
        birth, death = known.props.get("birth_year"), known.props.get("death_year")
        if _years_conflict(record.birth_year, birth) or _years_conflict(record.death_year, death):
            return "birth or death years differ"
        if generations and known.generations and not generations & known.generations:
            return "generations differ (elder / younger)"
        if record.source in known.sources and not record.attribution:
            # A name key matched (that is how KNOWN became a candidate); with both years equal
            # it is the same person recorded twice.
            twin = (
                record.birth_year is not None
                and record.death_year is not None
                and (record.birth_year, record.death_year) == (birth, death)
            )
            if not twin:
                return "another record of the same source"
        return None

    def _new_id(self, record: ArtistRecord) -> str:
        base = "artist:" + (slugify(record.name) or slugify(record.source_id))
        if base not in self.artists:
            return base
        if record.birth_year is not None and f"{base}-{record.birth_year}" not in self.artists:
            return f"{base}-{record.birth_year}"
        n = 2
        while f"{base}-{n}" in self.artists:
            n += 1
        return f"{base}-{n}"

    def _fill(
        self, artist_id: str, incoming: dict[str, Any], record_id: str | None = None
    ) -> dict[str, Any]:
        """Incoming properties the node lacks: the first source to state a fact keeps it,
        so a rerun of any source finds nothing to change. A node made of RECORD_ID alone
        takes that record's values as they are now: its source has changed its own statement
        (what `graphkit sync` brings in)."""
        known = self.artists[artist_id]
        sole = record_id is not None and known.source_ids == {record_id}
        wanted = {
            k: v
            for k, v in incoming.items()
            if v is not None and (known.props.get(k) != v if sole else known.props.get(k) is None)
        }
        known.props.update(wanted)
        return wanted


def _merge_reason(record: ArtistRecord, known: KnownArtist, score: tuple[int, int, str]) -> str:
    confirmations, exact, _ = score
    parts = ["same name" if exact else "same first and last name"]
    if confirmations:
        parts.append(f"{confirmations} of birth/death years agree")
    else:
        parts.append("no years to compare, single candidate")
    if record.attribution:
        parts.append(f"attribution '{record.attribution}' names the master")
    if record.source in known.sources and not record.attribution:
        parts.append("duplicate record of one source: same name and years")
    return "; ".join(parts)


def _evidence(rule: str, record: ArtistRecord, known: KnownArtist, why: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "record": record.source_id,
        "name": record.name,
        "years": [record.birth_year, record.death_year],
        "node": known.id,
        "node_name": known.props.get("name"),
        "node_years": [known.props.get("birth_year"), known.props.get("death_year")],
        "why": why,
    }
