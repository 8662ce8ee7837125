// Artwork dates that cannot be facts: a range that ends before it starts, a year before
// 1000 (a century read as year 0), and a work of the artist's own (no attribution) dated
// before their birth or more than $posthumous years after their death.
MATCH (w:Artwork)
WITH count(CASE WHEN w.year_end < w.year_start THEN 1 END) AS inverted,
     count(CASE WHEN w.year < 1000 THEN 1 END) AS before_1000
OPTIONAL MATCH (w:Artwork)-[r:CREATED_BY]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist' AND r.attribution IS NULL
  AND (w.year_start < a.birth_year OR w.year_end > a.death_year + $posthumous)
RETURN inverted, before_1000, count(DISTINCT w) AS outside_lifespan
