// The $limit artists with the highest PageRank (written by `graphkit analytics run`).
MATCH (a:Artist)
WHERE a.pagerank IS NOT NULL
RETURN a.id AS id, a.name AS name, a.pagerank AS pagerank, a.community AS community
ORDER BY pagerank DESC, id
LIMIT $limit
