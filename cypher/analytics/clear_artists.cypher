// Forget the last run's influence results, so artists that left the projection keep none.
MATCH (a:Artist)
WHERE a.pagerank IS NOT NULL OR a.community IS NOT NULL
SET a.pagerank = null, a.community = null
RETURN count(a) AS cleared
