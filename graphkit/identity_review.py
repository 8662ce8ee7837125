"""Identity review: the candidate pairs for a curator, and the curator's decisions.

A decision is an IdentityDecision node (who, when, the two nodes and the source ids each held,
the verdict 'same' or 'different'). It is applied at once (a merge moves every relationship
onto the kept node, which takes both nodes' source ids; a separation removes the candidate
edge), and every later populate or sync reads the decisions before it matches (identity.py),
so the rules never undo them: the decision names records by source id, which outlive nodes.
"""

from __future__ import annotations

from graphkit.identity import Decision
from graphkit.store import GraphStore


def read_decisions(store: GraphStore) -> list[Decision]:
    return [
        Decision(
            str(row["verdict"]),
            frozenset(row["one_source_ids"] or []),
            frozenset(row["other_source_ids"] or []),
        )
        for row in store.read("identity/decisions").rows
    ]
