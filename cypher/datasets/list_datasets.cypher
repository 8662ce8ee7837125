// The names of every recorded dataset, for "unknown dataset" messages.
MATCH (d:Dataset)
RETURN d.name AS name
ORDER BY name
