// A page of artists by name (then id), filtered by $q (lower-case text in the name) and
// $movement (a Movement id the artist is MEMBER_OF); each null when not asked for.
MATCH (a:Artist)
WHERE ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q)
  AND ($movement IS NULL OR (a)-[:MEMBER_OF]->(:Movement {id: $movement}))
WITH a
ORDER BY a.name, a.id
SKIP $offset
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.birth_year AS birth_year, a.death_year AS death_year,
       a.pagerank AS pagerank,
       [(a)-[:MEMBER_OF]->(m:Movement) | {id: m.id, name: m.name}] AS movements
ORDER BY name, id
