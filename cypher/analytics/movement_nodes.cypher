// Every movement with its number of member artists.
// $include_derived: also count memberships only inferred from artwork styles (derived = true).
MATCH (m:Movement)
OPTIONAL MATCH (m)<-[r:MEMBER_OF]-(a:Artist)
WHERE $include_derived OR NOT coalesce(r.derived, false)
RETURN m.id AS id, m.name AS name, count(DISTINCT a) AS artists
ORDER BY id
