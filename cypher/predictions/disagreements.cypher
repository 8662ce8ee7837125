// Where a movement prediction disagrees with what is known of the artist: the predicted
// movement (the label, which PREDICTS names) is none of the movements the artist is a
// MEMBER_OF (for a generated image, the artist it imitates), while one of those is a class the
// model knows, so it could have agreed. Most confident first: the strongest claims against
// the record ($by_margin: the least sure first instead). Filtered by $label, the score range
// and $unreviewed as predictions/current is; $limit rows from $offset.
// Written for speed on both engines (10,000 predictions in ~0.1 s): predictions are found by
// model name (indexed), the artist by any relationship of those two types (FalkorDB's typed
// multi-type traversal is slow), and the rows are chosen before their columns are made. The
// list tests sit in a WITH: FalkorDB 4.16 drops every row when they sit in a MATCH's WHERE.
MATCH (m:Model {task: 'movement'})
WHERE $model IS NULL OR m.name = $model
MATCH (p:Prediction {model_name: m.name, current: true})-[:ABOUT]->(t)-[r]->(a:Artist)
WHERE type(r) IN ['CREATED_BY', 'IN_STYLE_OF'] AND coalesce(r.role, 'artist') = 'artist'
  AND ($label IS NULL OR p.label = $label)
  AND ($score_min IS NULL OR p.score >= $score_min)
  AND ($score_max IS NULL OR p.score <= $score_max)
  AND (NOT $unreviewed OR NOT (t)<-[:ABOUT]-(:Review {task: p.task}))
MATCH (a)-[:MEMBER_OF]->(known:Movement)
WITH p, t, a, m.classes AS classes, collect(known.name) AS known_movements
WHERE NOT p.label IN known_movements AND any(name IN known_movements WHERE name IN classes)
WITH p, t, a, known_movements
ORDER BY CASE WHEN $by_margin THEN p.margin ELSE -p.score END, t.id
SKIP $offset
LIMIT $limit
RETURN t.id AS id, coalesce(t.title, t.prompt) AS title, a.id AS artist_id, a.name AS artist,
       p.label AS predicted, p.score AS score, known_movements, p.model_name AS model,
       p.id AS prediction
