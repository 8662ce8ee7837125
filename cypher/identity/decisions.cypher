// Every curator's identity decision, oldest first: the resolver reads them before it matches.
MATCH (d:IdentityDecision)
RETURN d.id AS id, d.verdict AS verdict, d.one_source_ids AS one_source_ids,
       d.other_source_ids AS other_source_ids, d.one AS one, d.other AS other,
       d.who AS who, d.at AS at
ORDER BY d.at, d.id
