// Every Artist with all its properties, where it was born and its movements: identity
// resolution matches on names, years and source ids, and scores on the places and movements.
MATCH (a:Artist)
OPTIONAL MATCH (a)-[:BORN_IN]->(p:Place)
WITH a, collect(DISTINCT p.id) AS born_in
OPTIONAL MATCH (a)-[:MEMBER_OF]->(m:Movement)
RETURN a.id AS id, properties(a) AS props, born_in, collect(DISTINCT m.id) AS movements
