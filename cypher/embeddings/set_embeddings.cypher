// Store image embeddings (Neo4j: a LIST<FLOAT> property, which its vector index reads) and the
// model that made them. row: {id, embedding}; $model is the model directory's description.
UNWIND $rows AS row
OPTIONAL MATCH (a:Artwork {id: row.id})
OPTIONAL MATCH (g:GeneratedImage {id: row.id})
WITH row, coalesce(a, g) AS n
WHERE n IS NOT NULL
SET n.embedding = row.embedding, n.embedding_model = $model
RETURN count(n) AS stored
