// What a list shows of each prediction in $ids: label, score, margin, probabilities (JSON),
// the model version, and the artwork or generated image it is about (title, image file, tile,
// the labels its reviews gave for that task, and its other current predictions).
UNWIND $ids AS wanted
MATCH (p:Prediction {id: wanted})-[:ABOUT]->(t)
RETURN p.id AS id, p.model_name AS model, p.model_version AS version, p.task AS task,
       p.label AS label, p.score AS score, p.margin AS margin,
       p.probabilities AS probabilities, coalesce(p.uncertain, false) AS uncertain,
       p.current AS current, p.created_at AS created_at,
       t.id AS node_id, labels(t)[0] AS kind, coalesce(t.title, t.prompt) AS title,
       coalesce(t.image_path, t.path) AS image_path, t.tile AS tile,
       [(t)<-[:ABOUT]-(r:Review) WHERE r.task = p.task | r.label] AS reviews,
       [(t)<-[:ABOUT]-(o:Prediction {current: true}) |
           {model: o.model_name, task: o.task, label: o.label, score: o.score,
            uncertain: coalesce(o.uncertain, false)}] AS predictions
