// How many imaged nodes lack $model's embedding (none, or another model's), per label: one row
// for Artwork, one for GeneratedImage. `graphkit up` embeds only when the sum is not zero.
MATCH (a:Artwork)
WHERE a.image_path IS NOT NULL AND coalesce(a.embedding_model, '') <> $model
RETURN 'Artwork' AS label, count(a) AS missing
UNION ALL
MATCH (g:GeneratedImage)
WHERE g.path IS NOT NULL AND coalesce(g.embedding_model, '') <> $model
RETURN 'GeneratedImage' AS label, count(g) AS missing
