// Merge (Artist)-[:DIED_IN]->(Place) by endpoint ids.
// row: {start, end, props, hash}; $source names the source.
// Rows whose endpoints are missing are not counted in `seen`; row_hashes: as in upsert_artwork.
UNWIND $rows AS row
MATCH (a:Artist {id: row.start})
MATCH (b:Place {id: row.end})
OPTIONAL MATCH (a)-[old:DIED_IN]->(b)
WITH a, b, row, properties(old) AS before
MERGE (a)-[r:DIED_IN]->(b)
SET r += row.props,
    r.sources = coalesce(r.sources, [])
        + CASE WHEN $source IN coalesce(r.sources, []) THEN [] ELSE [$source] END,
    r.row_hashes = [h IN coalesce(r.row_hashes, [])
            | CASE WHEN h STARTS WITH ($source + ':') THEN $source + ':' + row.hash ELSE h END]
        + CASE WHEN any(h IN coalesce(r.row_hashes, []) WHERE h STARTS WITH ($source + ':'))
            THEN [] ELSE [$source + ':' + row.hash] END
WITH before, properties(r) AS after
RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN before IS NOT NULL AND before <> after THEN 1 ELSE 0 END) AS updated,
       count(*) AS seen
