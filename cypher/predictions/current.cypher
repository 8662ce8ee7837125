// The current prediction of each model per artwork or generated image: $id one node (or
// null for all), $model one model name (or null); filtered by $label, the score range
// $score_min..$score_max and $unreviewed (leave out nodes a Review decided for that task),
// each null (false) when not asked; $limit rows from $offset.
MATCH (p:Prediction {current: true})-[:ABOUT]->(t)
WHERE ($id IS NULL OR t.id = $id) AND ($model IS NULL OR p.model_name = $model)
  AND ($label IS NULL OR p.label = $label)
  AND ($score_min IS NULL OR p.score >= $score_min)
  AND ($score_max IS NULL OR p.score <= $score_max)
  AND (NOT $unreviewed OR NOT (t)<-[:ABOUT]-(:Review {task: p.task}))
MATCH (p)-[:BY]->(m:Model)
RETURN t.id AS id, labels(t)[0] AS kind, coalesce(t.title, t.prompt) AS title,
       p.model_name AS model, p.model_version AS version, p.task AS task, p.label AS label,
       p.score AS score, p.margin AS margin, p.id AS prediction, p.created_at AS created_at,
       m.classes AS classes
ORDER BY id, model
SKIP $offset
LIMIT $limit
