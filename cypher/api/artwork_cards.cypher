// What a list shows of each artwork in $ids: title, year, image, artists, movements and the
// current predictions (for the badges; probabilities as JSON).
UNWIND $ids AS wanted
MATCH (a:Artwork {id: wanted})
RETURN a.id AS id, a.title AS title, coalesce(a.year, a.year_start) AS year,
       a.image_path AS image_path,
       [(a)-[:CREATED_BY]->(x:Artist) | {id: x.id, name: x.name}] AS artists,
       [(a)-[:IN_STYLE]->(m:Movement) | {id: m.id, name: m.name}] AS movements,
       [(a)<-[:ABOUT]-(p:Prediction {current: true}) |
           {model: p.model_name, task: p.task, label: p.label, score: p.score,
            uncertain: coalesce(p.uncertain, false), probabilities: p.probabilities}]
           AS predictions
