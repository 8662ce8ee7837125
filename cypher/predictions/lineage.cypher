// Where predictions come from ($ids: prediction ids): the model version that made them, the
// dataset it was trained on and the query that labelled that dataset. same_dataset is false
// when the Dataset node was rebuilt since (its manifest no longer the one the model saw).
UNWIND $ids AS pid
MATCH (p:Prediction {id: pid})-[:BY]->(m:Model)
MATCH (p)-[:ABOUT]->(t)
OPTIONAL MATCH (m)-[:TRAINED_ON]->(d:Dataset)
OPTIONAL MATCH (rv:Review)-[v:REVIEWS]->(p)
WITH p, m, t, d, collect(rv.label + ' (' + v.verdict + ')') AS reviews
RETURN p.id AS prediction, t.id AS id, p.label AS label, p.score AS score,
       p.current AS current, p.created_at AS created_at, p.image_sha256 AS image_sha256,
       m.id AS model_id, m.name AS model, m.version AS version, m.sha256 AS model_sha256,
       m.trained_at AS trained_at, m.code_version AS code_version, m.path AS model_path,
       m.dataset_id AS dataset_id, d.name AS dataset, d.label_via AS label_via,
       d.query_name AS query_name, d.query_hash AS query_hash, d.query AS query,
       d.arguments AS arguments, d.manifest_sha256 = m.dataset_manifest_sha256 AS same_dataset,
       reviews
ORDER BY prediction
