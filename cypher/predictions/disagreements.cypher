// Where a movement prediction disagrees with what is known of the artist: the predicted
// movement is none of the movements the artist is a MEMBER_OF (for a generated image, the
// artist it imitates), while at least one of those is a class the model knows, so it could
// have agreed. Most confident first: those are the strongest claims against the record.
// (The model is matched first: FalkorDB 4.16 drops every row when the list test runs in the
// WHERE of a later MATCH of the model.)
MATCH (m:Model)<-[:BY]-(p:Prediction {current: true, task: 'movement'})
      -[:PREDICTS]->(predicted:Movement)
WHERE $model IS NULL OR p.model_name = $model
MATCH (p)-[:ABOUT]->(t)-[r:CREATED_BY|IN_STYLE_OF]->(a:Artist)-[:MEMBER_OF]->(known:Movement)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH p, t, a, predicted, m.classes AS classes, collect(DISTINCT known.name) AS known_movements
WHERE NOT predicted.name IN known_movements
  AND any(name IN known_movements WHERE name IN classes)
RETURN t.id AS id, coalesce(t.title, t.prompt) AS title, a.id AS artist_id, a.name AS artist,
       predicted.name AS predicted, p.score AS score, known_movements, p.model_name AS model,
       p.id AS prediction
ORDER BY score DESC, id
LIMIT $limit
