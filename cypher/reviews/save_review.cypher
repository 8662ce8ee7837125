// Record a person's decision about an artwork or generated image: a Review ABOUT the node,
// which REVIEWS each current prediction it confirms (the same label) or corrects (another).
// $review: {id, artwork_id, label, task, note, by}; $predictions: the prediction ids.
// The id is made by the caller, so a retried write records the review once.
OPTIONAL MATCH (a:Artwork {id: $review.artwork_id})
OPTIONAL MATCH (g:GeneratedImage {id: $review.artwork_id})
WITH coalesce(a, g) AS t
WHERE t IS NOT NULL
MERGE (rv:Review {id: $review.id})
ON CREATE SET rv += $review, rv.created_at = timestamp()
MERGE (rv)-[:ABOUT]->(t)
WITH rv
UNWIND $predictions AS pid
MATCH (p:Prediction {id: pid})
MERGE (rv)-[v:REVIEWS]->(p)
ON CREATE SET v.verdict = CASE WHEN p.label = rv.label THEN 'confirms' ELSE 'corrects' END
RETURN rv.id AS review, p.id AS prediction, p.model_name AS model, p.label AS predicted,
       v.verdict AS verdict
ORDER BY model
