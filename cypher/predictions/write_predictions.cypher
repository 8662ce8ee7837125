// Write one batch of predictions by model $model_id. A prediction's id comes from the model's
// weights, the node and the image content it scored, so writing it again creates nothing.
// The one written becomes the node's current prediction of that model name; the others of the
// same name about that node (older versions, older image content) become current: false.
// row: {id, target, label, score, margin, probabilities (JSON), image_sha256, crop, movement,
//      uncertain (the top score is under the model's threshold)}
MATCH (m:Model {id: $model_id})
UNWIND $rows AS row
OPTIONAL MATCH (a:Artwork {id: row.target})
OPTIONAL MATCH (g:GeneratedImage {id: row.target})
WITH m, row, coalesce(a, g) AS t
WHERE t IS NOT NULL
OPTIONAL MATCH (old:Prediction {id: row.id})
WITH m, row, t, old IS NULL AS fresh
MERGE (p:Prediction {id: row.id})
ON CREATE SET p.label = row.label, p.score = row.score, p.margin = row.margin,
    p.probabilities = row.probabilities, p.image_sha256 = row.image_sha256, p.crop = row.crop,
    p.model_id = m.id, p.model_name = m.name, p.model_version = m.version, p.task = m.task,
    p.uncertain = row.uncertain,
    p.created_at = timestamp()
SET p.current = true
MERGE (p)-[:ABOUT]->(t)
MERGE (p)-[:BY]->(m)
WITH m, row, t, p, fresh
OPTIONAL MATCH (mv:Movement {name: row.movement})
FOREACH (x IN CASE WHEN mv IS NULL THEN [] ELSE [mv] END | MERGE (p)-[:PREDICTS]->(x))
// The others are found from the node, with no label or property in the pattern: given one,
// Neo4j plans (on a graph with few predictions yet) a seek of every prediction of the model
// by its name index for each row, which grows with the predictions already written.
WITH p, m, fresh, [(t)<-[:ABOUT]-(other) | other] AS about
WITH p, fresh,
     [o IN about WHERE o.model_name = m.name AND o.id <> p.id AND o.current] AS others
FOREACH (other IN others | SET other.current = false)
RETURN count(p) AS written, sum(CASE WHEN fresh THEN 1 ELSE 0 END) AS created,
       sum(size(others)) AS demoted
