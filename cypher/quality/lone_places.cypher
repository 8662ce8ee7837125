// Top-level places that are no country, and those of them whose name also names a place
// that lies under another (a lone 'Paris' beside France's Paris).
MATCH (p:Place)
WHERE NOT (p)-[:LOCATED_IN]->(:Place) AND coalesce(p.type, '') <> 'country'
OPTIONAL MATCH (q:Place)-[:LOCATED_IN]->(:Place)
WHERE q.name = p.name
RETURN count(DISTINCT p) AS lone, count(DISTINCT CASE WHEN q IS NOT NULL THEN p END) AS placed_elsewhere
