// Label each artwork that has an image with its artist's movement (the seed project's rule):
// only artworks with exactly one creator in the role 'artist', and only when that artist is a
// MEMBER_OF exactly one movement (stated by a source or derived from their WikiArt styles).
// An attribution ('after', 'workshop of', 'attributed to') does not make the work the artist's
// own: such works are left out unless $keep_attributed is true.
MATCH (w:Artwork)-[r:CREATED_BY]->(a:Artist)
WHERE w.image_path IS NOT NULL AND coalesce(r.role, 'artist') = 'artist'
  AND (r.attribution IS NULL OR coalesce($keep_attributed, false))
WITH w, collect(DISTINCT a) AS creators
WHERE size(creators) = 1
WITH w, creators[0] AS a
MATCH (a)-[:MEMBER_OF]->(m:Movement)
WITH w, a, collect(DISTINCT m.name) AS movements
WHERE size(movements) = 1
RETURN w.id AS artwork_id,
       w.image_path AS image_path,
       w.image_sha256 AS image_sha256,
       w.image_phash AS image_phash,
       movements[0] AS label,
       [a.id] AS artist_ids
ORDER BY artwork_id
