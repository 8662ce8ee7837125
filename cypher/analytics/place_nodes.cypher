// Every place, for the place hierarchy projection.
MATCH (p:Place)
RETURN p.id AS id, p.name AS name, p.type AS type
ORDER BY id
