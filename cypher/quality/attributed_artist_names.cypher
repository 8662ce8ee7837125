// Artists whose name or an alias still carries an attribution ('(after)', 'Workshop of'),
// with the works linked to them. $phrases: lower-case phrases to look for.
MATCH (a:Artist)
WHERE any(name IN [a.name] + coalesce(a.aliases, [])
          WHERE any(p IN $phrases WHERE toLower(name) CONTAINS p))
OPTIONAL MATCH (w:Artwork)-[:CREATED_BY]->(a)
RETURN count(DISTINCT a) AS artists, count(DISTINCT w) AS works
