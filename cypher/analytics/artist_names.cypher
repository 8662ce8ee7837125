// Names of the artists in a projection. $ids: list of Artist ids.
UNWIND $ids AS id
MATCH (a:Artist {id: id})
RETURN a.id AS id, a.name AS name
ORDER BY id
