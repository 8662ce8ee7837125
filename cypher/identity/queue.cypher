// Candidate pairs waiting for a curator, best score first: both records side by side
// (names, years, sources, birth places, how many works each has and a few of those with an
// image, for thumbnails).
MATCH (a:Artist)-[p:POSSIBLY_SAME]->(b:Artist)
WITH a, b, p
ORDER BY p.score DESC, a.id, b.id
LIMIT $limit
OPTIONAL MATCH (wa:Artwork)-[:CREATED_BY]->(a)
WITH a, b, p, count(wa) AS one_works,
     collect(CASE WHEN wa.image_path IS NOT NULL
                  THEN {id: wa.id, title: wa.title, image_path: wa.image_path} END) AS one_imaged
OPTIONAL MATCH (wb:Artwork)-[:CREATED_BY]->(b)
WITH a, b, p, one_works, one_imaged, count(wb) AS other_works,
     collect(CASE WHEN wb.image_path IS NOT NULL
                  THEN {id: wb.id, title: wb.title, image_path: wb.image_path} END) AS other_imaged
OPTIONAL MATCH (a)-[:BORN_IN]->(pa:Place)
WITH a, b, p, one_works, one_imaged, other_works, other_imaged,
     collect(DISTINCT pa.name) AS one_born_in
OPTIONAL MATCH (b)-[:BORN_IN]->(pb:Place)
WITH a, b, p, one_works, one_imaged, other_works, other_imaged, one_born_in,
     collect(DISTINCT pb.name) AS other_born_in
RETURN a.id AS one, a.name AS one_name, a.birth_year AS one_birth, a.death_year AS one_death,
       a.sources AS one_sources, one_born_in, one_works, one_imaged[0..$shown] AS one_shown,
       b.id AS other, b.name AS other_name, b.birth_year AS other_birth,
       b.death_year AS other_death, b.sources AS other_sources, other_born_in, other_works,
       other_imaged[0..$shown] AS other_shown,
       p.score AS score, p.evidence AS evidence
ORDER BY score DESC, one, other
