// FalkorDB's full-text procedure names the index by its label.
CALL db.idx.fulltext.queryNodes('Artist', $query) YIELD node
WITH node
LIMIT $max_matches
OPTIONAL MATCH (node)<-[:CREATED_BY]-(w:Artwork)
WITH collect(w) AS by_artist
CALL db.idx.fulltext.queryNodes('Artwork', $query) YIELD node
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
