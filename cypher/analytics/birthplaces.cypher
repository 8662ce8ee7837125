// Where each artist was born: artist -> place, one row per pair.
MATCH (a:Artist)-[:BORN_IN]->(p:Place)
RETURN DISTINCT a.id AS artist, p.id AS place
ORDER BY artist, place
