// Record a curator's identity decision. $decision: {id, verdict, one, other, one_source_ids,
// other_source_ids, who, at, note}; the id is made by the caller, so a retry records it once.
MERGE (d:IdentityDecision {id: $decision.id})
ON CREATE SET d += $decision
RETURN d.id AS id
