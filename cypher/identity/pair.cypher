// The two Artist nodes a decision is about, with all their properties.
MATCH (a:Artist)
WHERE a.id IN $ids
RETURN a.id AS id, properties(a) AS props
