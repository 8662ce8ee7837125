// Artwork RECOMMENDS aggregated to artists: an edge from the recommending artwork's artist to the
// recommended artwork's artist, weighted by how many artwork pairs link them. Self-links dropped.
MATCH (w1:Artwork)-[:RECOMMENDS]->(w2:Artwork)
MATCH (w1)-[:CREATED_BY]->(a1:Artist)
MATCH (w2)-[:CREATED_BY]->(a2:Artist)
WHERE a1.id <> a2.id
RETURN a1.id AS source, a2.id AS target, count(DISTINCT [w1.id, w2.id]) AS weight
ORDER BY source, target
