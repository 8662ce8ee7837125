// Forget the last run's artist counts per country.
MATCH (p:Place)
WHERE p.artist_count IS NOT NULL
SET p.artist_count = null
RETURN count(p) AS cleared
