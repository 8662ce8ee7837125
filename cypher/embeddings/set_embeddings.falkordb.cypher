// FalkorDB's vector index reads vecf32 values, not plain lists.
UNWIND $rows AS row
OPTIONAL MATCH (a:Artwork {id: row.id})
OPTIONAL MATCH (g:GeneratedImage {id: row.id})
WITH row, coalesce(a, g) AS n
WHERE n IS NOT NULL
SET n.embedding = vecf32(row.embedding), n.embedding_model = $model
RETURN count(n) AS stored
