// Every node $source states, as one string "HASH|LABEL|ID" (HASH: of the row it last wrote,
// from its row_hashes entry "SOURCE:HASH"; empty for a node written before hashes were kept).
// One column, not three: reading 100,000 rows is bound by decoding values. No label in the
// MATCH: a source writes several, and ids are unique across labels.
MATCH (n)
WHERE $source IN n.sources
RETURN coalesce([h IN coalesce(n.row_hashes, []) WHERE h STARTS WITH ($source + ':')][0], '')
       + '|' + labels(n)[0] + '|' + n.id AS row
