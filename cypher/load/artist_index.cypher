// Every Artist with all its properties: identity resolution matches on names, years, source ids.
MATCH (a:Artist)
RETURN a.id AS id, properties(a) AS props
