// Every movement with its number of member artists and of artworks in its style, and the
// analytics results (null before `graphkit analytics run`).
MATCH (m:Movement)
OPTIONAL MATCH (m)<-[:IN_STYLE]-(w:Artwork)
WITH m, count(w) AS artwork_count
OPTIONAL MATCH (m)<-[:MEMBER_OF]-(a:Artist)
RETURN m.id AS id, m.name AS name, m.era AS era, artwork_count,
       count(DISTINCT a) AS artist_count, m.weighted_degree AS weighted_degree,
       m.betweenness AS betweenness
ORDER BY name, id
