// Artworks that look like artwork $id: nearest neighbours of its embedding in the Artwork
// vector index, the artwork itself first (similarity 1.0). Neo4j's cosine score is
// (1 + cos) / 2; it is turned back into the cosine similarity.
MATCH (a:Artwork {id: $id})
WHERE a.embedding IS NOT NULL
CALL db.index.vector.queryNodes('artwork_embedding', $k, a.embedding)
YIELD node, score
OPTIONAL MATCH (node)-[:IN_STYLE]->(m:Movement)
OPTIONAL MATCH (node)-[:CREATED_BY]->(artist:Artist)
WITH node, score, collect(DISTINCT m.name) AS movements, collect(DISTINCT artist.name) AS artists
RETURN node.id AS id, node.title AS title, node.image_path AS image_path,
       2 * score - 1 AS similarity, movements, artists
ORDER BY similarity DESC, id
