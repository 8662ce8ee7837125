// A page of the ids of artworks that a current prediction labels $predicted (a detector's
// 'ai' or 'human', a movement model's class), in id order; filtered as api/artwork_ids is,
// and by $movement and $artist when they are not null.
MATCH (:Prediction {current: true, label: $predicted})-[:ABOUT]->(a:Artwork)
WITH DISTINCT a
WHERE ($has_image IS NULL OR (a.image_path IS NOT NULL) = $has_image)
  AND ($year_from IS NULL OR coalesce(a.year, a.year_start) >= $year_from)
  AND ($year_to IS NULL OR coalesce(a.year, a.year_start) <= $year_to)
  AND ($movement IS NULL OR (a)-[:IN_STYLE]->(:Movement {id: $movement}))
  AND ($artist IS NULL OR (a)-[:CREATED_BY]->(:Artist {id: $artist}))
WITH a.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit
RETURN id
