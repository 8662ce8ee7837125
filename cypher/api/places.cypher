// A page of places by name, filtered by $type ('country', ...) and $q (lower-case text in
// the name); with the place above it, its artists born there, and the analytics count.
MATCH (p:Place)
WHERE ($type IS NULL OR p.type = $type)
  AND ($q IS NULL OR toLower(coalesce(p.name, '')) CONTAINS $q)
WITH p
ORDER BY p.name, p.id
SKIP $offset
LIMIT $limit
RETURN p.id AS id, p.name AS name, p.type AS type, p.artist_count AS artist_count,
       [(p)-[:LOCATED_IN]->(up:Place) | {id: up.id, name: up.name}] AS located_in,
       size([(a:Artist)-[:BORN_IN]->(p) | a.id]) AS born_here
ORDER BY name, id
