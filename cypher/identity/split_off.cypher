// Split a person off a merged node: $new (the restored node's properties, its id among them)
// is created, and the node it leaves takes $old_props (its lists without that record).
MATCH (old:Artist {id: $id})
CREATE (n:Artist {id: $new.id})
SET n += $new, old += $old_props
RETURN n.id AS id
