// Every Place with its name and type: lone places are attached where another source put a
// place of that name under a country.
MATCH (p:Place)
RETURN p.id AS id, p.name AS name, p.type AS type
