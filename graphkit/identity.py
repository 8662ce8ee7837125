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

Where the rules make a new node, a scored comparison (matching.py) looks at the nodes sharing
a surname block: a single clear match above its threshold merges, with the score and the
evidence (a disputed year keeps both values); pairs in the grey zone are returned as
candidates for review (POSSIBLY_SAME). A curator's decisions come first: records decided to
be one person join one node, and a pair decided to be two people is never merged or
proposed again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graphkit.matching import MERGE_AT, REVIEW_AT, Profile, Score, block_keys, score_pair
from graphkit.names import generation, name_variants
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
    names: list[str] = field(default_factory=list)
    born_in: set[str] = field(default_factory=set)  # Place ids
    movements: set[str] = field(default_factory=set)  # Movement ids

    def profile(self) -> Profile:
        return Profile(
            tuple(self.names),
            self.props.get("birth_year"),
            self.props.get("death_year"),
            frozenset(self.sources),
            frozenset(self.born_in),
            frozenset(self.movements),
        )

    @property
    def sources(self) -> set[str]:
        """Sources with a record of this person (not merely of works 'after' them)."""
        return {sid.split(":", 1)[0] for sid in self.source_ids - self.attributed_ids}


@dataclass(frozen=True)
class Context:
    """What a source says around a record, for the scored comparison: where the person was
    born and the movements they belonged to (ids, as the graph holds them)."""

    born_in: frozenset[str] = frozenset()
    movements: frozenset[str] = frozenset()


@dataclass
class Resolution:
    artist_id: str
    created: bool
    props: dict[str, Any] = field(default_factory=dict)  # what the node lacks, to be written
    note: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # merges made or refused
    possible: list[dict[str, Any]] = field(default_factory=list)  # {other, score, evidence}


@dataclass(frozen=True)
class Decision:
    """A curator's word on two records' people: 'same' or 'different', by source ids."""

    verdict: str
    one: frozenset[str]
    other: frozenset[str]


def _years_conflict(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and abs(a - b) > YEAR_TOLERANCE


def _years_agree(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= YEAR_TOLERANCE


class ArtistResolver:
    def __init__(
        self,
        existing: list[dict[str, Any]] | None = None,
        decisions: list[Decision] | None = None,
    ) -> None:
        self.artists: dict[str, KnownArtist] = {}
        self._by_source_id: dict[str, str] = {}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._by_block: dict[str, set[str]] = defaultdict(set)
        self._same: dict[str, set[str]] = defaultdict(set)
        self._different: dict[str, set[str]] = defaultdict(set)
        for decision in decisions or []:  # oldest first: a later word overrules an earlier
            said, undone = (
                (self._same, self._different)
                if decision.verdict == "same"
                else (self._different, self._same)
            )
            for mine, theirs in ((decision.one, decision.other), (decision.other, decision.one)):
                for sid in mine:
                    said[sid] |= theirs
                    undone[sid] -= theirs
        for row in existing or []:
            props = dict(row.get("props") or {})
            names = [props.get("name") or "", *(props.get("aliases") or [])]
            known = self._remember(row["id"], props, set(props.get("source_ids") or []), names)
            known.born_in |= set(row.get("born_in") or [])
            known.movements |= set(row.get("movements") or [])

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
            if name not in known.names:
                known.names.append(name)
            for block in block_keys(name):
                self._by_block[block].add(artist_id)
        for variant in {v for name in names for v in name_variants(name)}:
            full, loose = name_keys(variant)
            for key in (full, loose):
                if key:
                    known.keys.add(key)
                    self._by_key[key].add(artist_id)
            if full and variant in names:  # a name as written, not read from an alias
                known.full_keys.add(full)
            if generation(variant):
                known.generations.add(generation(variant) or "")
        return known

    def resolve(self, record: ArtistRecord, context: Context | None = None) -> Resolution:
        """The node RECORD belongs to (CONTEXT: what its source says around it); the node
        keeps the context for the records that come after."""
        context = context or Context()
        resolution = self._resolve(record, context)
        known = self.artists[resolution.artist_id]
        known.born_in |= context.born_in
        known.movements |= context.movements
        return resolution

    def _resolve(self, record: ArtistRecord, context: Context) -> Resolution:
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
        decided = self._decided_node(record)
        if decided is not None:
            why = "a curator decided these records are one person"
            return self._merge(record, decided, incoming, names, "artist merged", why, [])
        variants = {v for name in names for v in name_variants(name)}
        keys = {key for name in variants for key in name_keys(name) if key}
        full_keys = {name_keys(name)[0] for name in names} - {""}  # an exact name wins a tie
        generations = {g for g in map(generation, names) if g}
        candidates, evidence = [], []
        for artist_id in sorted({aid for key in keys for aid in self._by_key.get(key, ())}):
            known = self.artists[artist_id]
            if self._separated(record, known):
                continue
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
        scored = self._scored(record, context, names, generations)
        above = [(score, aid) for score, aid in scored if score.score >= REVIEW_AT]
        if len(above) == 1 and above[0][0].score >= MERGE_AT:
            score, best = above[0]
            entry = _evidence("artist merged by score", record, self.artists[best], "")
            entry.update(score=score.score, why="; ".join(score.evidence))
            if score.disputed:
                entry["disputed"] = score.disputed
            return self._merge(record, best, incoming, names, "", "", [*evidence, entry])
        artist_id = self._new_id(record)
        known = self._remember(artist_id, {}, {record.source_id}, names)
        if record.attribution:
            known.attributed_ids.add(record.source_id)
        possible = [
            {"other": aid, "score": score.score, "evidence": score.evidence} for score, aid in above
        ]
        for candidate in possible:
            evidence.append(
                {
                    **_evidence(
                        "artist possibly same", record, self.artists[candidate["other"]], ""
                    ),
                    "node": artist_id,
                    "other": candidate["other"],
                    "score": candidate["score"],
                    "why": "; ".join(candidate["evidence"]),
                }
            )
        resolution = Resolution(artist_id, True, self._fill(artist_id, incoming), note, evidence)
        resolution.possible = possible
        return resolution

    def _merge(
        self,
        record: ArtistRecord,
        artist_id: str,
        incoming: dict[str, Any],
        names: list[str],
        rule: str,
        why: str,
        evidence: list[dict[str, Any]],
    ) -> Resolution:
        """RECORD joins ARTIST_ID; RULE and WHY (when given) are added to EVIDENCE."""
        known = self.artists[artist_id]
        if rule:
            evidence = [*evidence, _evidence(rule, record, known, why)]
        self._remember(artist_id, {}, {record.source_id}, names)
        if record.attribution:
            known.attributed_ids.add(record.source_id)
        return Resolution(artist_id, False, self._fill(artist_id, incoming), None, evidence)

    def _decided_node(self, record: ArtistRecord) -> str | None:
        """The node holding a record a curator decided is RECORD's person."""
        for sid in sorted(self._same.get(record.source_id, ())):
            if sid in self._by_source_id:
                return self._by_source_id[sid]
        return None

    def _separated(self, record: ArtistRecord, known: KnownArtist) -> bool:
        return bool(self._different.get(record.source_id, set()) & known.source_ids)

    def _scored(
        self, record: ArtistRecord, context: Context, names: list[str], generations: set[str]
    ) -> list[tuple[Score, str]]:
        """Nodes sharing a surname block with RECORD, scored, best first; those a generation
        or a curator's decision rules out are left out."""
        blocks = {block for name in names for block in block_keys(name)}
        mine = Profile(
            tuple(names),
            record.birth_year,
            record.death_year,
            frozenset({record.source}),
            context.born_in,
            context.movements,
        )
        scored = []
        for artist_id in sorted({aid for b in blocks for aid in self._by_block.get(b, ())}):
            known = self.artists[artist_id]
            if self._separated(record, known) or (
                generations and known.generations and not generations & known.generations
            ):
                continue
            scored.append((score_pair(mine, known.profile()), artist_id))
        return sorted(scored, key=lambda pair: -pair[0].score)

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
