// Per artist and detector, the share of their images the detector's current predictions call
// AI-generated: their own works (CREATED_BY in the role 'artist') and the generated images made
// in their style (IN_STYLE_OF). Artists with at least $min_images scored images; $model: one
// detector or null (each detector gets its own row, so nothing is counted twice).
MATCH (p:Prediction {current: true, task: 'detector'})-[:ABOUT]->(t)
WHERE $model IS NULL OR p.model_name = $model
MATCH (t)-[r:CREATED_BY|IN_STYLE_OF]->(a:Artist)
WHERE coalesce(r.role, 'artist') = 'artist'
WITH a, p.model_name AS model, count(DISTINCT t) AS images,
     count(DISTINCT CASE WHEN p.label = 'ai' THEN t END) AS ai
WHERE images >= $min_images
RETURN a.id AS artist_id, a.name AS artist, model, images, ai,
       toFloat(ai) / images AS share
ORDER BY share DESC, images DESC, artist_id
LIMIT $limit
