// $source no longer states these relationships ($keys: "TYPE|START_ID|END_ID"): it leaves
// their sources and row_hashes; one left with no source is deleted by
// delete_orphan_relationships.
MATCH (a)-[r]->(b)
WHERE $source IN r.sources AND (type(r) + '|' + a.id + '|' + b.id) IN $keys
SET r.sources = [s IN r.sources WHERE s <> $source],
    r.row_hashes = [h IN coalesce(r.row_hashes, []) WHERE NOT h STARTS WITH ($source + ':')]
RETURN count(r) AS released
