// Forget the last run's co-membership results.
MATCH (m:Movement)
WHERE m.weighted_degree IS NOT NULL OR m.betweenness IS NOT NULL OR m.member_count IS NOT NULL
SET m.weighted_degree = null, m.betweenness = null, m.member_count = null
RETURN count(m) AS cleared
