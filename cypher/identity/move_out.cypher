// Move the node GONE's outgoing REL_TYPE relationships onto KEEP (REL_TYPE is replaced by
// each type relationship_types finds; a type is a name, never a value). A relationship KEEP
// already has keeps its properties; one between the two nodes goes with GONE. With
// $only_source (a split), only the relationships that source alone states move.
MATCH (gone:Artist {id: $gone})-[r:REL_TYPE]->(other)
MATCH (keep:Artist {id: $keep})
WHERE other <> keep AND ($only_source IS NULL OR r.sources = [$only_source])
WITH keep, other, r, properties(r) AS props
MERGE (keep)-[n:REL_TYPE]->(other)
ON CREATE SET n += props
DELETE r
RETURN count(*) AS moved
