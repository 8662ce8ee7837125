// $source no longer states the nodes with these $ids: it leaves their sources, source_ids and
// row_hashes. A node another source states keeps everything else; a node left with no source
// is deleted by delete_orphan_nodes.
MATCH (n)
WHERE $source IN n.sources AND n.id IN $ids
SET n.sources = [s IN n.sources WHERE s <> $source],
    n.source_ids = [s IN coalesce(n.source_ids, []) WHERE NOT s STARTS WITH ($source + ':')],
    n.row_hashes = [h IN coalesce(n.row_hashes, []) WHERE NOT h STARTS WITH ($source + ':')]
RETURN count(n) AS released
