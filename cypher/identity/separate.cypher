// Two nodes a curator says are different people: their candidate edges go.
MATCH (a:Artist {id: $one})-[p:POSSIBLY_SAME]-(b:Artist {id: $other})
DELETE p
RETURN count(*) AS removed
