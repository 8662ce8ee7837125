// Pairs of Artist nodes still open for identity review: a dataset keeps both in one split
// group, so a probable same person never straddles train and test.
MATCH (a:Artist)-[:POSSIBLY_SAME]->(b:Artist)
RETURN a.id AS one, b.id AS other
ORDER BY one, other
