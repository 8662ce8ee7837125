// Write artist counts onto countries. $rows: [{id, artists}].
UNWIND $rows AS row
MATCH (p:Place {id: row.id})
SET p.artist_count = row.artists
RETURN count(p) AS written
