// KEEP takes what GONE knew ($props: the merged properties worked out by the caller: both
// nodes' source ids, sources, aliases, row hashes, and facts KEEP lacked), then GONE goes.
MATCH (keep:Artist {id: $keep})
MATCH (gone:Artist {id: $gone})
SET keep += $props
DETACH DELETE gone
RETURN keep.id AS id
