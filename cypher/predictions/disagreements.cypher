// Where a movement prediction disagrees with what is known of the artist: the artist (for a
// generated image, the one it imitates) is no MEMBER_OF the predicted movement, while one of
// the artist's movements is a class the model knows, so it could have agreed. Most confident
// first: those are the strongest claims against the record.
// The model is matched first (FalkorDB 4.16 drops every row when the list test runs in the
// WHERE of a later MATCH of it), and the 50 rows are chosen before their columns are made.
// No DISTINCT in the collect: a row's artist reaches each of its movements once.
MATCH (m:Model)<-[:BY]-(p:Prediction {current: true, task: 'movement'})
      -[:PREDICTS]->(predicted:Movement)
WHERE $model IS NULL OR p.model_name = $model
MATCH (p)-[:ABOUT]->(t)-[r:CREATED_BY|IN_STYLE_OF]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist' AND NOT (a)-[:MEMBER_OF]->(predicted)
MATCH (a)-[:MEMBER_OF]->(known:Movement)
WITH p, t, a, predicted, m.classes AS classes, collect(known.name) AS known_movements
WHERE any(name IN known_movements WHERE name IN classes)
WITH p, t, a, predicted, known_movements
ORDER BY p.score DESC, t.id
LIMIT $limit
RETURN t.id AS id, coalesce(t.title, t.prompt) AS title, a.id AS artist_id, a.name AS artist,
       predicted.name AS predicted, p.score AS score, known_movements, p.model_name AS model,
       p.id AS prediction
