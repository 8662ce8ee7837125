// The movements of the co-membership network with their analytics results; the links are
// analytics/movement_edges.
MATCH (m:Movement)
WHERE m.weighted_degree IS NOT NULL
RETURN m.id AS id, m.name AS name, m.weighted_degree AS weighted_degree,
       m.betweenness AS betweenness, m.member_count AS member_count
ORDER BY weighted_degree DESC, id
