// A page of the ids of artworks CREATED_BY artist $artist, those with an image first, then
// in id order; filtered as api/artwork_ids is, and by $movement when it is not null.
MATCH (:Artist {id: $artist})<-[:CREATED_BY]-(a:Artwork)
// WITH first: FalkorDB would otherwise scan every Artwork to apply the filters.
WITH DISTINCT a
WHERE ($has_image IS NULL OR (a.image_path IS NOT NULL) = $has_image)
  AND ($year_from IS NULL OR coalesce(a.year, a.year_start) >= $year_from)
  AND ($year_to IS NULL OR coalesce(a.year, a.year_start) <= $year_to)
  AND ($movement IS NULL OR (a)-[:IN_STYLE]->(:Movement {id: $movement}))
WITH a
ORDER BY a.image_path IS NULL, a.id
SKIP $offset
LIMIT $limit
RETURN a.id AS id
