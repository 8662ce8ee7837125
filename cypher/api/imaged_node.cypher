// The Artwork or GeneratedImage with id $id (what a review or a prediction is about): its
// label and whether it has an image; no row when there is none.
OPTIONAL MATCH (a:Artwork {id: $id})
OPTIONAL MATCH (g:GeneratedImage {id: $id})
WITH coalesce(a, g) AS t
WHERE t IS NOT NULL
RETURN t.id AS id, labels(t)[0] AS kind, coalesce(t.image_path, t.path) IS NOT NULL AS has_image
