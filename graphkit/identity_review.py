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
from graphkit.store import GraphStore

VERDICTS = ("same", "different")
_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MERGED_LISTS = ("source_ids", "sources", "aliases", "row_hashes")


class IdentityError(GraphkitError):
    """A decision that cannot be made: an unknown node, a node paired with itself."""


def read_decisions(store: GraphStore) -> list[Decision]:
    return [
        Decision(
            str(row["verdict"]),
            frozenset(row["one_source_ids"] or []),
            frozenset(row["other_source_ids"] or []),
        )
        for row in store.read("identity/decisions").rows
    ]


def review_queue(store: GraphStore, limit: int = 50) -> list[dict[str, Any]]:
    """Candidate pairs, best score first, both records side by side."""
    return store.read("identity/queue", limit=limit).rows


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
        "who": who,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": note,
    }
    store.write("identity/save_decision", decision={k: v for k, v in decision.items() if v})
    if verdict == "same":
        merge_nodes(store, nodes[one], nodes[other])
    else:
        store.write("identity/separate", one=one, other=other)
    return decision


def merge_nodes(store: GraphStore, keep: dict[str, Any], gone: dict[str, Any]) -> None:
    """Every relationship of GONE moves onto KEEP, which takes GONE's ids and names; GONE
    is deleted."""
    for row in store.read("identity/relationship_types", id=gone["id"]).rows:
        rel_type = str(row["type"])
        if not _TYPE.match(rel_type):
            raise IdentityError(f"relationship type {rel_type!r} cannot be moved")
        query = "identity/move_out" if row["outgoing"] else "identity/move_in"
        text = store.text(query).replace("REL_TYPE", rel_type)
        store.cypher(text, {"keep": keep["id"], "gone": gone["id"]}, write=True)
    store.write("identity/absorb", keep=keep["id"], gone=gone["id"], props=absorbed(keep, gone))


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
