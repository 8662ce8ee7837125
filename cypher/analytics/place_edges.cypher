// The place hierarchy: child -> parent (city -> region -> country).
MATCH (p:Place)-[:LOCATED_IN]->(q:Place)
WHERE p.id <> q.id
RETURN DISTINCT p.id AS source, q.id AS target
ORDER BY source, target
