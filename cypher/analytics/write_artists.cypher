// Write influence results onto artists. $rows: [{id, pagerank, community}].
UNWIND $rows AS row
MATCH (a:Artist {id: row.id})
SET a.pagerank = row.pagerank, a.community = row.community
RETURN count(a) AS written
