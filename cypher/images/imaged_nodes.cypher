// Every Artwork and GeneratedImage with an image file: id, label, the file, the file's sha256
// and, for a tile of a generated grid, its crop box [left, top, right, bottom]. Used by
// `graphkit embed` and `graphkit predict`.
MATCH (a:Artwork)
WHERE a.image_path IS NOT NULL
RETURN a.id AS id, 'Artwork' AS label, a.image_path AS path, a.image_sha256 AS image_sha256,
       null AS crop
UNION ALL
MATCH (g:GeneratedImage)
WHERE g.path IS NOT NULL
RETURN g.id AS id, 'GeneratedImage' AS label, g.path AS path, g.image_sha256 AS image_sha256,
       g.crop AS crop
