// The model registry: every version of every model ($model: one model's versions, or null),
// with the dataset it was trained on and how many current predictions it has made.
MATCH (m:Model)
WHERE $model IS NULL OR m.name = $model
OPTIONAL MATCH (m)-[:TRAINED_ON]->(d:Dataset)
OPTIONAL MATCH (p:Prediction {current: true})-[:BY]->(m)
WITH m, d, count(p) AS current_predictions
RETURN m.id AS id, m.name AS name, m.version AS version, m.task AS task, m.kind AS kind,
       m.sha256 AS sha256, m.weights AS weights, m.classes AS classes, m.metrics AS metrics,
       m.path AS path, m.trained_at AS trained_at, m.registered_at AS registered_at,
       m.code_version AS code_version, m.dataset_id AS dataset_id, d.name AS dataset,
       current_predictions
ORDER BY name, version
