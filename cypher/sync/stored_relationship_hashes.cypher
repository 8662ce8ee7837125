// Every relationship $source states, by type and endpoint ids, with the hash of the row it
// last wrote (as stored_node_hashes).
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
RETURN type(r) AS kind, a.id AS start, b.id AS end,
       [h IN coalesce(r.row_hashes, []) WHERE h STARTS WITH ($source + ':')][0] AS hash
