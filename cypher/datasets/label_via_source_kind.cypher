// Label images by how they were made, for the AI-image detectors: every GeneratedImage tile
// with a file is 'ai' (its artist is the one it imitates, through IN_STYLE_OF; its crop box
// says where the tile lies in its grid), every Artwork with an image is 'human' (its creators
// in the role 'artist'), but an image uploaded through the API (source 'upload'), whose making
// nobody knows: a review labels it. The artists keep each one's real and imitated work in one
// split.
MATCH (g:GeneratedImage)
WHERE g.path IS NOT NULL
OPTIONAL MATCH (g)-[:IN_STYLE_OF]->(a:Artist)
WITH g, collect(DISTINCT a.id) AS artist_ids
RETURN g.id AS artwork_id,
       g.path AS image_path,
       g.image_sha256 AS image_sha256,
       null AS image_phash,
       'ai' AS label,
       artist_ids,
       g.crop AS crop
UNION ALL
MATCH (w:Artwork)
WHERE w.image_path IS NOT NULL AND NOT 'upload' IN coalesce(w.sources, [])
OPTIONAL MATCH (w)-[r:CREATED_BY]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH w, collect(DISTINCT a.id) AS artist_ids
RETURN w.id AS artwork_id,
       w.image_path AS image_path,
       w.image_sha256 AS image_sha256,
       w.image_phash AS image_phash,
       'human' AS label,
       artist_ids,
       null AS crop
