// The relationship types an Artist node takes part in, each with its direction: a merge
// moves every one of them onto the node kept.
MATCH (a:Artist {id: $id})-[r]->()
RETURN DISTINCT type(r) AS type, true AS outgoing
UNION
MATCH (a:Artist {id: $id})<-[r]-()
RETURN DISTINCT type(r) AS type, false AS outgoing
