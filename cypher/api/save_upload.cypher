// An image uploaded through POST /api/predict?write=true, as an Artwork of the source
// 'upload': its id is made from the file's sha256, so the same bytes uploaded again are the
// same node (nothing changes but last_uploaded_at). $row: {id, title, image_path,
// image_sha256, image_width, image_height}.
OPTIONAL MATCH (old:Artwork {id: $row.id})
WITH old IS NULL AS fresh
MERGE (a:Artwork {id: $row.id})
ON CREATE SET a += $row, a.sources = ['upload'], a.source_ids = [$row.id],
    a.uploaded_at = timestamp()
SET a.last_uploaded_at = timestamp()
RETURN a.id AS id, fresh AS created, a.title AS title
