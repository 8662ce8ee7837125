// Candidate pairs for identity review: (:Artist)-[:POSSIBLY_SAME {score, evidence}]->(:Artist).
// row: {start, end, score, evidence}; a pair a curator has decided on is never proposed
// (the resolver leaves it out), and a pair already proposed keeps its first statement.
UNWIND $rows AS row
MATCH (a:Artist {id: row.start})
MATCH (b:Artist {id: row.end})
WHERE a <> b
MERGE (a)-[r:POSSIBLY_SAME]->(b)
ON CREATE SET r.score = row.score, r.evidence = row.evidence, r.source = $source
RETURN count(r) AS written
