// A page of artwork ids, in id order, filtered by $has_image and the year range
// $year_from..$year_to (its year, or the start of its date range); each null when not asked.
// The movement, artist and text filters have their own queries, which start from an index.
MATCH (a:Artwork)
WHERE ($has_image IS NULL OR (a.image_path IS NOT NULL) = $has_image)
  AND ($year_from IS NULL OR coalesce(a.year, a.year_start) >= $year_from)
  AND ($year_to IS NULL OR coalesce(a.year, a.year_start) <= $year_to)
WITH a.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit
RETURN id
