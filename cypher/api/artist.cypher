// One artist and the neighbourhood the artist page draws: movements, places of birth and
// death, teachers (whom they were APPRENTICE_OF) and students, academies, specialisations,
// analytics results, how many works they made, and images generated in their style.
MATCH (a:Artist {id: $id})
OPTIONAL MATCH (a)<-[:CREATED_BY]-(w:Artwork)
WITH a, count(w) AS work_count
RETURN a.id AS id, a.name AS name, a.birth_year AS birth_year, a.death_year AS death_year,
       a.gender AS gender, a.aliases AS aliases, a.sources AS sources,
       a.pagerank AS pagerank, a.community AS community, work_count,
       [(a)-[r:MEMBER_OF]->(m:Movement) | {id: m.id, name: m.name, derived: r.derived}]
           AS movements,
       [(a)-[:BORN_IN]->(p:Place) | {id: p.id, name: p.name}] AS born_in,
       [(a)-[:DIED_IN]->(p:Place) | {id: p.id, name: p.name}] AS died_in,
       [(a)-[:APPRENTICE_OF]->(t:Artist) | {id: t.id, name: t.name}] AS teachers,
       [(s:Artist)-[:APPRENTICE_OF]->(a) | {id: s.id, name: s.name}] AS students,
       [(a)-[:EDUCATED_AT]->(e:Academy) | {id: e.id, name: e.name}] AS academies,
       [(a)-[:SPECIALIZED_IN]->(x:Specialization) | x.name] AS specializations,
       [(g:GeneratedImage)-[:IN_STYLE_OF]->(a) WHERE g.path IS NOT NULL |
           {id: g.id, path: g.path, tile: g.tile}][0..8] AS generated
