// One artwork with its artists (and how the work is attributed to each), its movements,
// media and the artworks it recommends; its current predictions (probabilities as JSON) and
// the reviews people recorded about it.
MATCH (a:Artwork {id: $id})
RETURN a.id AS id, a.title AS title, a.year AS year, a.year_start AS year_start,
       a.year_end AS year_end, a.date_text AS date_text, a.medium AS medium,
       a.image_path AS image_path, a.image_width AS image_width,
       a.image_height AS image_height, a.sources AS sources,
       a.embedding IS NOT NULL AS embedded,
       [(a)-[c:CREATED_BY]->(x:Artist) |
           {id: x.id, name: x.name, role: c.role, attribution: c.attribution}] AS artists,
       [(a)-[:IN_STYLE]->(m:Movement) | {id: m.id, name: m.name}] AS movements,
       [(a)-[:USES]->(md:Medium) | md.name] AS media,
       [(a)-[:RECOMMENDS]->(r:Artwork) | {id: r.id, title: r.title, image_path: r.image_path}]
           AS recommends,
       [(a)<-[:ABOUT]-(p:Prediction {current: true}) |
           {id: p.id, model: p.model_name, version: p.model_version, task: p.task,
            label: p.label, score: p.score, margin: p.margin, probabilities: p.probabilities,
            uncertain: coalesce(p.uncertain, false), created_at: p.created_at}] AS predictions,
       [(a)<-[:ABOUT]-(rv:Review) |
           {id: rv.id, label: rv.label, task: rv.task, note: rv.note, by: rv.by,
            created_at: rv.created_at}] AS reviews
