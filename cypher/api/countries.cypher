// Countries with the number of artists born in them (written by `graphkit analytics run`).
MATCH (p:Place)
WHERE p.type = 'country' AND p.artist_count IS NOT NULL
RETURN p.id AS id, p.name AS name, p.artist_count AS artist_count
ORDER BY artist_count DESC, name
