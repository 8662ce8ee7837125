// Label each artwork that has an image with its own style (IN_STYLE), where a source gives
// exactly one; an artwork placed in two styles is ambiguous and left out. The creators (role
// 'artist') come along so that splits can keep each artist's work together.
MATCH (w:Artwork)-[:IN_STYLE]->(m:Movement)
WHERE w.image_path IS NOT NULL
WITH w, collect(DISTINCT m.name) AS movements
WHERE size(movements) = 1
OPTIONAL MATCH (w)-[r:CREATED_BY]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH w, movements[0] AS label, collect(DISTINCT a.id) AS artist_ids
RETURN w.id AS artwork_id,
       w.image_path AS image_path,
       w.image_sha256 AS image_sha256,
       w.image_phash AS image_phash,
       label,
       artist_ids
ORDER BY artwork_id
