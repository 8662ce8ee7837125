// Every Artwork and GeneratedImage with an image file: id, label, the file and, for a tile of
// a generated grid, its crop box [left, top, right, bottom].
MATCH (a:Artwork)
WHERE a.image_path IS NOT NULL
RETURN a.id AS id, 'Artwork' AS label, a.image_path AS path, null AS crop
UNION ALL
MATCH (g:GeneratedImage)
WHERE g.path IS NOT NULL
RETURN g.id AS id, 'GeneratedImage' AS label, g.path AS path, g.crop AS crop
