"""Identity review: the candidate pairs for a curator, and the curator's decisions.

A decision is an IdentityDecision node (who, when, the two nodes and the source ids each held,
the verdict 'same' or 'different'). It is applied at once: a merge moves every relationship of
the second node onto the first, which takes both nodes' source ids, sources and aliases; a
separation removes the candidate edge. Every later populate or sync reads the decisions
before it matches (identity.py), so the rules never undo them: a decision names records by
their source ids, which outlive the nodes.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.identity import Decision
from graphkit.normalize import slugify
from graphkit.store import GraphStore

VERDICTS = ("same", "different")
_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MERGED_LISTS = ("source_ids", "sources", "aliases", "row_hashes")


class IdentityError(GraphkitError):
    """A decision that cannot be made: an unknown node, a node paired with itself."""


def decided_at() -> str:
    """The decision's time, to the microsecond: a later word overrules an earlier one, and a
    merge and a split a second apart must not tie (a tie fell to the random id)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def read_decisions(store: GraphStore) -> list[Decision]:
    return [
        Decision(
            str(row["verdict"]),
            frozenset(row["one_source_ids"] or []),
            frozenset(row["other_source_ids"] or []),
        )
        for row in store.read("identity/decisions").rows
    ]


SHOWN_WORKS = 3  # works with an image listed per side of a pair, for thumbnails


def review_queue(store: GraphStore, limit: int = 50) -> list[dict[str, Any]]:
    """Candidate pairs, best score first, both records side by side (with up to SHOWN_WORKS
    of each one's works that have an image: `one_shown`, `other_shown`)."""
    return store.read("identity/queue", limit=limit, shown=SHOWN_WORKS).rows


def decide(
    store: GraphStore, one: str, other: str, verdict: str, who: str, note: str | None = None
) -> dict[str, Any]:
    """Record and apply a curator's VERDICT on Artist nodes ONE and OTHER: 'same' merges
    OTHER into ONE, 'different' removes their candidate edge. Returns the decision."""
    if verdict not in VERDICTS:
        raise IdentityError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if one == other:
        raise IdentityError(f"{one} cannot be decided about with itself")
    nodes = {r["id"]: r["props"] for r in store.read("identity/pair", ids=[one, other]).rows}
    missing = [i for i in (one, other) if i not in nodes]
    if missing:
        raise IdentityError(f"no Artist {', '.join(missing)}")
    decision = {
        "id": f"identity-decision:{uuid.uuid4().hex}",
        "verdict": verdict,
        "one": one,
        "other": other,
        "one_source_ids": list(nodes[one].get("source_ids") or []),
        "other_source_ids": list(nodes[other].get("source_ids") or []),
        "one_name": nodes[one].get("name"),
        "other_name": nodes[other].get("name"),
        "who": who,
        "at": decided_at(),
        "note": note,
    }
    _save(store, decision)
    if verdict == "same":
        merge_nodes(store, nodes[one], nodes[other])
    else:
        store.write("identity/separate", one=one, other=other)
    return decision


def _save(store: GraphStore, decision: dict[str, Any]) -> None:
    store.write("identity/save_decision", decision={k: v for k, v in decision.items() if v})


def merge_nodes(store: GraphStore, keep: dict[str, Any], gone: dict[str, Any]) -> None:
    """Every relationship of GONE moves onto KEEP, which takes GONE's ids and names; GONE
    is deleted."""
    _move_relationships(store, gone["id"], keep["id"], None)
    store.write("identity/absorb", keep=keep["id"], gone=gone["id"], props=absorbed(keep, gone))


def _move_relationships(store: GraphStore, src: str, dst: str, only_source: str | None) -> None:
    """SRC's relationships of every type move onto DST (only those ONLY_SOURCE alone states,
    when given)."""
    for row in store.read("identity/relationship_types", id=src).rows:
        rel_type = str(row["type"])
        if not _TYPE.match(rel_type):
            raise IdentityError(f"relationship type {rel_type!r} cannot be moved")
        query = "identity/move_out" if row["outgoing"] else "identity/move_in"
        text = store.text(query).replace("REL_TYPE", rel_type)
        params = {"keep": dst, "gone": src, "only_source": only_source}
        store.cypher(text, params, write=True)


def split_node(store: GraphStore, node_id: str, source_id: str, who: str) -> dict[str, Any]:
    """Undo a merge: SOURCE_ID's person leaves NODE_ID for a node of its own (the id it had
    before a curator's merge, when one made it) with the relationships that source alone
    states (the works it gave), and a 'different' decision keeps the two apart from now on.
    The next populate or sync restores the record's own name and years on it."""
    rows = store.read("identity/pair", ids=[node_id]).rows
    if not rows:
        raise IdentityError(f"no Artist {node_id}")
    props = rows[0]["props"]
    source_ids = list(props.get("source_ids") or [])
    source = source_id.split(":", 1)[0]
    if source_id not in source_ids or len(source_ids) < 2:
        raise IdentityError(f"{node_id} holds no other record beside {source_id!r}")
    if any(s != source_id and s.split(":", 1)[0] == source for s in source_ids):
        raise IdentityError(
            f"{node_id} holds another record of {source}: its works cannot be told apart"
        )
    new_id = _restored_id(store, node_id, source_id)
    prefix = f"{source}:"
    new = {
        "id": new_id,
        "name": props.get("name"),
        "source_ids": [source_id],
        "sources": [source],
        "aliases": [],
        "row_hashes": [h for h in props.get("row_hashes") or [] if h.startswith(prefix)],
    }
    old_props = {
        "source_ids": [s for s in source_ids if s != source_id],
        "sources": [s for s in props.get("sources") or [] if s != source],
        "row_hashes": [h for h in props.get("row_hashes") or [] if not h.startswith(prefix)],
    }
    store.write("identity/split_off", id=node_id, new=new, old_props=old_props)
    _move_relationships(store, node_id, new_id, source)
    decision = {
        "id": f"identity-decision:{uuid.uuid4().hex}",
        "verdict": "different",
        "one": node_id,
        "other": new_id,
        "one_source_ids": old_props["source_ids"],
        "other_source_ids": [source_id],
        "one_name": props.get("name"),
        "who": who,
        "at": decided_at(),
        "note": f"split {source_id} off {node_id}",
    }
    _save(store, decision)
    return decision


def _restored_id(store: GraphStore, node_id: str, source_id: str) -> str:
    """The id SOURCE_ID's node had before a curator merged it away, if free; else a new one."""
    for row in store.read("identity/decisions").rows:
        if row["verdict"] == "same" and list(row["other_source_ids"] or []) == [source_id]:
            candidate = str(row["other"])
            if not store.read("identity/pair", ids=[candidate]).rows:
                return candidate
    base = f"{node_id}-{slugify(source_id.split(':')[-1])}"
    n, candidate = 2, base
    while store.read("identity/pair", ids=[candidate]).rows:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def absorbed(keep: dict[str, Any], gone: dict[str, Any]) -> dict[str, Any]:
    """What KEEP holds once GONE is merged into it: the lists joined, GONE's name an alias,
    the facts KEEP lacked taken from GONE (KEEP's own are kept)."""
    props = {k: v for k, v in gone.items() if k not in keep and k not in ("id", *_MERGED_LISTS)}
    for name in _MERGED_LISTS:
        joined = list(keep.get(name) or [])
        extra = list(gone.get(name) or [])
        if name == "aliases" and gone.get("name"):
            extra.append(gone["name"])
        joined += [v for v in extra if v not in joined]
        props[name] = joined
    props["merged_ids"] = [*(keep.get("merged_ids") or []), gone["id"]]
    return props
