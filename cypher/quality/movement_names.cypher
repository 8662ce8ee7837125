// Every movement's id and name: a name whose own id differs is a spelling the rules fold.
MATCH (m:Movement)
RETURN m.id AS id, m.name AS name
ORDER BY id
