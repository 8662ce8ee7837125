// A page of the ids of artworks IN_STYLE of movement $movement, in id order, filtered as
// api/artwork_ids is.
MATCH (:Movement {id: $movement})<-[:IN_STYLE]-(a:Artwork)
// WITH first: FalkorDB would otherwise scan every Artwork to apply the filters.
WITH DISTINCT a
WHERE ($has_image IS NULL OR (a.image_path IS NOT NULL) = $has_image)
  AND ($year_from IS NULL OR coalesce(a.year, a.year_start) >= $year_from)
  AND ($year_to IS NULL OR coalesce(a.year, a.year_start) <= $year_to)
WITH a.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit
RETURN id
