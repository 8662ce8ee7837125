// Identity figures: Artist nodes merged from several sources or known from one only, the
// source records behind them, the candidate pairs waiting for review (POSSIBLY_SAME), and
// top-level places that are countries or left unresolved.
MATCH (a:Artist)
WITH sum(CASE WHEN size(coalesce(a.sources, [])) > 1 THEN 1 ELSE 0 END) AS merged,
     sum(CASE WHEN size(coalesce(a.sources, [])) <= 1 THEN 1 ELSE 0 END) AS single,
     sum(size(coalesce(a.source_ids, []))) AS records
OPTIONAL MATCH (:Artist)-[c:POSSIBLY_SAME]->(:Artist)
WITH merged, single, records, count(c) AS candidates
OPTIONAL MATCH (p:Place)
WHERE NOT (p)-[:LOCATED_IN]->(:Place)
RETURN merged AS artists_from_several_sources,
       single AS artists_from_one_source,
       records AS artist_source_records,
       candidates AS candidates_in_review,
       sum(CASE WHEN p.type = 'country' THEN 1 ELSE 0 END) AS countries,
       sum(CASE WHEN p IS NOT NULL AND coalesce(p.type, '') <> 'country' THEN 1 ELSE 0 END)
           AS unresolved_top_level_places
