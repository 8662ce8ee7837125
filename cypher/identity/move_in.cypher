// Move the relationships that end at GONE onto KEEP: as move_out.cypher, the other way
// (with $only_source, only those that source alone states).
MATCH (other)-[r:REL_TYPE]->(gone:Artist {id: $gone})
MATCH (keep:Artist {id: $keep})
WHERE other <> keep AND ($only_source IS NULL OR r.sources = [$only_source])
WITH keep, other, r, properties(r) AS props
MERGE (other)-[n:REL_TYPE]->(keep)
ON CREATE SET n += props
DELETE r
RETURN count(*) AS moved
