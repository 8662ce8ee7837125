// The most uncertain current predictions (smallest margin between the two likeliest classes)
// first, for review. $model: one model name or null; $unreviewed: leave out nodes a Review
// has already decided for that task (the review queue); filtered by $label and the score
// range as predictions/current is; $limit rows from $offset.
MATCH (p:Prediction {current: true})-[:ABOUT]->(t)
WHERE ($model IS NULL OR p.model_name = $model)
  AND ($label IS NULL OR p.label = $label)
  AND ($score_min IS NULL OR p.score >= $score_min)
  AND ($score_max IS NULL OR p.score <= $score_max)
  AND (NOT $unreviewed OR NOT (t)<-[:ABOUT]-(:Review {task: p.task}))
RETURN t.id AS id, labels(t)[0] AS kind, coalesce(t.title, t.prompt) AS title,
       p.model_name AS model, p.model_version AS version, p.label AS label, p.score AS score,
       p.margin AS margin, p.probabilities AS probabilities, p.id AS prediction
ORDER BY margin, id, model
SKIP $offset
LIMIT $limit
