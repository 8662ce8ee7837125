// A page of the ids of artworks whose title, or whose artist's name, matches the full-text
// query $query (built by api/search.py from the words typed), in id order; filtered as
// api/artwork_ids is, and by $movement, $artist and $predicted (a current prediction's
// label) when they are not null. Each index gives at most $max_matches nodes (the
// best-scored), which bounds the cost of short words.
CALL db.index.fulltext.queryNodes('artist_name_fulltext', $query) YIELD node
WITH node
LIMIT $max_matches
OPTIONAL MATCH (node)<-[:CREATED_BY]-(w:Artwork)
WITH collect(w) AS by_artist
CALL db.index.fulltext.queryNodes('artwork_title_fulltext', $query) YIELD node
WITH by_artist, node
LIMIT $max_matches
WITH by_artist, collect(node) AS by_title
UNWIND by_artist + by_title AS a
WITH DISTINCT a
WHERE ($has_image IS NULL OR (a.image_path IS NOT NULL) = $has_image)
  AND ($year_from IS NULL OR coalesce(a.year, a.year_start) >= $year_from)
  AND ($year_to IS NULL OR coalesce(a.year, a.year_start) <= $year_to)
  AND ($movement IS NULL OR (a)-[:IN_STYLE]->(:Movement {id: $movement}))
  AND ($artist IS NULL OR (a)-[:CREATED_BY]->(:Artist {id: $artist}))
  AND ($predicted IS NULL
       OR (a)<-[:ABOUT]-(:Prediction {current: true, label: $predicted}))
WITH a.id AS id
ORDER BY id
SKIP $offset
LIMIT $limit
RETURN id
