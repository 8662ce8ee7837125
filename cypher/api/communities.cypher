// The $limit largest Louvain communities of artists, each with its best-ranked members.
MATCH (a:Artist)
WHERE a.community IS NOT NULL
WITH a
ORDER BY a.pagerank DESC, a.id
WITH a.community AS community, count(a) AS size,
     collect({id: a.id, name: a.name, pagerank: a.pagerank}) AS members
RETURN community, size, members[0..$members] AS members
ORDER BY size DESC, community
LIMIT $limit
