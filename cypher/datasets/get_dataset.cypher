// One recorded dataset by id, as plain values.
MATCH (d:Dataset {id: $id})
RETURN d.id AS id, d.name AS name, d.label_via AS label_via, d.query_hash AS query_hash,
       d.arguments AS arguments, d.classes AS classes, d.counts AS counts, d.size AS size,
       d.manifest_sha256 AS manifest_sha256, d.out_dir AS out_dir, d.created_at AS created_at
