// Top-level places, by id and name: duplicated countries are found by the country rules.
MATCH (p:Place)
WHERE NOT (p)-[:LOCATED_IN]->(:Place)
RETURN p.id AS id, p.name AS name, p.type AS type
ORDER BY id
