// Artists with artworks that have images who belong to more than one movement: the artist
// rule leaves their work out, and the summary says how much.
MATCH (a:Artist)-[:MEMBER_OF]->(m:Movement)
WITH a, count(DISTINCT m) AS movements
WHERE movements > 1
MATCH (a)<-[:CREATED_BY]-(w:Artwork)
WHERE w.image_path IS NOT NULL
RETURN a.id AS artist_id, movements, count(DISTINCT w) AS artworks
ORDER BY artist_id
