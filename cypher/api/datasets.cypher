// Every recorded dataset, newest first (counts and split counts are JSON strings).
MATCH (d:Dataset)
RETURN d.id AS id, d.name AS name, d.label_via AS label_via, d.classes AS classes,
       d.counts_json AS counts_json, d.split_counts_json AS split_counts_json,
       d.size AS size, d.query_hash AS query_hash, d.manifest_sha256 AS manifest_sha256,
       d.created_at AS created_at
ORDER BY created_at DESC, id
