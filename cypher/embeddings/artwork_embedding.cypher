// Whether artwork $id exists and has an embedding, and which model made it.
MATCH (a:Artwork {id: $id})
RETURN a.id AS id, a.embedding IS NOT NULL AS embedded, a.embedding_model AS model
