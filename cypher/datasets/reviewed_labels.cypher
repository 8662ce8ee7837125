// The labels people gave in reviews of $task predictions ('movement' or 'detector'), oldest
// first, in the columns of the labelling queries, so that a dataset build can prefer them:
// a correction then reaches the next model. Movement datasets take whole artworks only.
MATCH (rv:Review {task: $task})-[:ABOUT]->(t)
WHERE $task = 'detector' OR t:Artwork
OPTIONAL MATCH (t)-[r:CREATED_BY|IN_STYLE_OF]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH rv, t, collect(DISTINCT a.id) AS artist_ids
RETURN t.id AS artwork_id,
       coalesce(t.image_path, t.path) AS image_path,
       t.image_sha256 AS image_sha256,
       t.image_phash AS image_phash,
       rv.label AS label,
       artist_ids,
       t.crop AS crop,
       rv.created_at AS reviewed_at
ORDER BY reviewed_at, rv.id
