// Merge (Place)-[:LOCATED_IN]->(Place) by endpoint ids.
// row: {start, end, props}; $source names the source.
// Rows whose endpoints are missing are not counted in `seen`.
UNWIND $rows AS row
MATCH (a:Place {id: row.start})
MATCH (b:Place {id: row.end})
OPTIONAL MATCH (a)-[old:LOCATED_IN]->(b)
WITH a, b, row, properties(old) AS before
MERGE (a)-[r:LOCATED_IN]->(b)
SET r += row.props,
    r.sources = coalesce(r.sources, [])
        + CASE WHEN $source IN coalesce(r.sources, []) THEN [] ELSE [$source] END
WITH before, properties(r) AS after
RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN before IS NOT NULL AND before <> after THEN 1 ELSE 0 END) AS updated,
       count(*) AS seen
