// Nodes no source states any more (sources emptied by release_nodes), at most $limit at a
// time, with their relationships and the predictions about them (model output, made again by
// `graphkit predict` if the node comes back). Reviews stay: they are people's decisions and
// name their artwork in artwork_id.
MATCH (n)
WHERE size(n.sources) = 0
WITH n LIMIT $limit
OPTIONAL MATCH (p:Prediction)-[:ABOUT]->(n)
WITH n, collect(p) AS predictions
FOREACH (p IN predictions | DETACH DELETE p)
DETACH DELETE n
RETURN count(*) AS deleted, sum(size(predictions)) AS predictions
