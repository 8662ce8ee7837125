// Remove every stored embedding before new ones are written: FalkorDB (4.16) neither updates
// a vector property in place nor keeps its vector index right when one changes.
MATCH (n)
WHERE (n:Artwork OR n:GeneratedImage) AND n.embedding IS NOT NULL
SET n.embedding = null, n.embedding_model = null
RETURN count(n) AS cleared
