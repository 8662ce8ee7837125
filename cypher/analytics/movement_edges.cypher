// Movement co-membership: two movements are linked by every artist who is a member of both;
// `weight` is the number of shared artists. Each pair once (m1.id < m2.id).
// $include_derived: also use memberships only inferred from artwork styles (derived = true).
MATCH (m1:Movement)<-[r1:MEMBER_OF]-(a:Artist)-[r2:MEMBER_OF]->(m2:Movement)
WHERE m1.id < m2.id
  AND ($include_derived OR (NOT coalesce(r1.derived, false) AND NOT coalesce(r2.derived, false)))
RETURN m1.id AS source, m2.id AS target, count(DISTINCT a) AS weight
ORDER BY source, target
