// Every node $source states, with the hash of the row it last wrote (row_hashes entries are
// "SOURCE:HASH"; null for a node written before hashes were kept). No label: a source writes
// several, and the ids are unique across labels.
MATCH (n)
WHERE $source IN n.sources
RETURN labels(n)[0] AS kind, n.id AS id,
       [h IN coalesce(n.row_hashes, []) WHERE h STARTS WITH ($source + ':')][0] AS hash
