// Where a movement prediction disagrees with what is known of the artist: the predicted
// movement is none of the movements the artist is a MEMBER_OF (for a generated image, the
// artist it imitates), while at least one of those is a class the model knows, so it could
// have agreed. Most confident first: those are the strongest claims against the record.
MATCH (p:Prediction {current: true, task: 'movement'})-[:PREDICTS]->(predicted:Movement)
WHERE $model IS NULL OR p.model_name = $model
MATCH (p)-[:ABOUT]->(t)-[r:CREATED_BY|IN_STYLE_OF]->(a:Artist)-[:MEMBER_OF]->(known:Movement)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH p, t, a, predicted, collect(DISTINCT known.name) AS known_movements
MATCH (p)-[:BY]->(m:Model)
WHERE NOT predicted.name IN known_movements
  AND any(name IN known_movements WHERE name IN m.classes)
RETURN t.id AS id, coalesce(t.title, t.prompt) AS title, a.id AS artist_id, a.name AS artist,
       predicted.name AS predicted, p.score AS score, known_movements, p.model_name AS model,
       p.id AS prediction
ORDER BY score DESC, id
LIMIT $limit
