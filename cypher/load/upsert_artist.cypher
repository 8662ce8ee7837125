// Upsert Artist nodes by id; returns how many were created, changed or left as they were.
// row: {id, props, source_ids, aliases, hash}; $source names the source; the list properties
// only ever grow.
// row_hashes holds each source's hash of its row, so that `graphkit sync` knows what changed.
UNWIND $rows AS row
OPTIONAL MATCH (old:Artist {id: row.id})
WITH row, properties(old) AS before
MERGE (n:Artist {id: row.id})
SET n += row.props,
    n.sources = coalesce(n.sources, [])
        + CASE WHEN $source IN coalesce(n.sources, []) THEN [] ELSE [$source] END,
    n.row_hashes = [h IN coalesce(n.row_hashes, [])
            | CASE WHEN h STARTS WITH ($source + ':') THEN $source + ':' + row.hash ELSE h END]
        + CASE WHEN any(h IN coalesce(n.row_hashes, []) WHERE h STARTS WITH ($source + ':'))
            THEN [] ELSE [$source + ':' + row.hash] END,
    n.source_ids = coalesce(n.source_ids, [])
        + [s IN row.source_ids WHERE NOT s IN coalesce(n.source_ids, [])],
    n.aliases = coalesce(n.aliases, []) + [s IN row.aliases WHERE NOT s IN coalesce(n.aliases, [])]
WITH before, properties(n) AS after
RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN before IS NOT NULL AND before <> after THEN 1 ELSE 0 END) AS updated,
       count(*) AS seen
