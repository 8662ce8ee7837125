// Apprenticeships as artist -> artist edges (student -> teacher: influence flows to the teacher).
// One row per pair; `weight` counts parallel relationships (several sources may state the same one).
MATCH (s:Artist)-[:APPRENTICE_OF]->(t:Artist)
WHERE s.id <> t.id
RETURN s.id AS source, t.id AS target, count(*) AS weight
ORDER BY source, target
