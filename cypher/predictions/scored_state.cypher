// What model $model (a name) has said about each node it scored: its current prediction's model id and
// version, and the image content (sha256, tile crop) it scored. `graphkit predict` scores what
// is new or stale against this.
MATCH (p:Prediction {current: true})-[:ABOUT]->(t)
WHERE p.model_name = $model
RETURN t.id AS id, p.model_id AS model_id, p.model_version AS version,
       p.image_sha256 AS image_sha256, p.crop AS crop
