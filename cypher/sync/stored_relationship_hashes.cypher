// Every relationship $source states, as one string "HASH|TYPE|START_ID|END_ID" (as
// stored_node_hashes: the hash of the row it last wrote, empty when none was kept).
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
RETURN coalesce([h IN coalesce(r.row_hashes, []) WHERE h STARTS WITH ($source + ':')][0], '')
       + '|' + type(r) + '|' + a.id + '|' + b.id AS row
