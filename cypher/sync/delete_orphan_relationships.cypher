// Relationships no source states any more (sources emptied by release_relationships), at
// most $limit at a time. Relationships without a sources list (ABOUT, BY, REVIEWS, ...) are
// not source data and never match.
MATCH ()-[r]->()
WHERE size(r.sources) = 0
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
