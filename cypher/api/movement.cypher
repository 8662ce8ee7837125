// One movement: its description, analytics results, its best-ranked member artists, and the
// movements it shares the most artists with.
MATCH (m:Movement {id: $id})
OPTIONAL MATCH (m)<-[:MEMBER_OF]-(a:Artist)
WITH m, a
ORDER BY coalesce(a.pagerank, 0) DESC, a.name
WITH m, collect(CASE WHEN a IS NULL THEN null ELSE {id: a.id, name: a.name} END) AS members
OPTIONAL MATCH (m)<-[:MEMBER_OF]-(:Artist)-[:MEMBER_OF]->(other:Movement)
WHERE other <> m
WITH m, members, other, count(*) AS shared
ORDER BY shared DESC, other.name
WITH m, members,
     collect(CASE WHEN other IS NULL THEN null
                  ELSE {id: other.id, name: other.name, shared_artists: shared} END) AS related
RETURN m.id AS id, m.name AS name, m.description AS description, m.era AS era,
       m.aliases AS aliases, m.weighted_degree AS weighted_degree,
       m.betweenness AS betweenness, size(members) AS artist_count,
       members[0..24] AS artists, related[0..10] AS related
