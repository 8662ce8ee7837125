// Write co-membership results onto movements. $rows: [{id, weighted_degree, betweenness, artists}].
UNWIND $rows AS row
MATCH (m:Movement {id: row.id})
SET m.weighted_degree = row.weighted_degree,
    m.betweenness = row.betweenness,
    m.member_count = row.artists
RETURN count(m) AS written
