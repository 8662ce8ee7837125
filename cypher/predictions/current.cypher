// The current prediction of each model per artwork or generated image: $id one node (or
// null for all), $model one model name (or null), at most $limit rows.
MATCH (p:Prediction {current: true})-[:ABOUT]->(t)
WHERE ($id IS NULL OR t.id = $id) AND ($model IS NULL OR p.model_name = $model)
MATCH (p)-[:BY]->(m:Model)
RETURN t.id AS id, labels(t)[0] AS kind, coalesce(t.title, t.prompt) AS title,
       p.model_name AS model, p.model_version AS version, p.task AS task, p.label AS label,
       p.score AS score, p.margin AS margin, p.id AS prediction, p.created_at AS created_at,
       m.classes AS classes
ORDER BY id, model
LIMIT $limit
