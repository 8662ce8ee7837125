// FalkorDB's index procedure takes the label and property, and scores by cosine distance.
MATCH (a:Artwork {id: $id})
WHERE a.embedding IS NOT NULL
CALL db.idx.vector.queryNodes('Artwork', 'embedding', $k, a.embedding)
YIELD node, score
OPTIONAL MATCH (node)-[:IN_STYLE]->(m:Movement)
OPTIONAL MATCH (node)-[:CREATED_BY]->(artist:Artist)
WITH node, score, collect(DISTINCT m.name) AS movements, collect(DISTINCT artist.name) AS artists
RETURN node.id AS id, node.title AS title, node.image_path AS image_path,
       1 - score AS similarity, movements, artists
ORDER BY similarity DESC, id
