// Artworks already in the graph whose date falls outside the life of their own artist
// (no attribution), for artists whose years a later source has just filled in: the dates
// are removed and each case returned for the rules report.
// $ids: Artist ids; $posthumous: years after the death still allowed.
UNWIND $ids AS id
MATCH (w:Artwork)-[r:CREATED_BY]->(a:Artist {id: id})
WHERE coalesce(r.role, 'artist') = 'artist' AND r.attribution IS NULL
  AND (w.year_start < a.birth_year OR w.year_end > a.death_year + $posthumous)
WITH w, a, w.year_start AS start, w.year_end AS end
SET w.year = null, w.year_start = null, w.year_end = null
RETURN w.id AS artwork, w.title AS title, w.date_text AS date_text, start, end,
       a.id AS artist, a.birth_year AS birth, a.death_year AS death
