// Record a built dataset: the labelling query and its hash, the arguments (JSON), the classes
// with their counts (parallel lists, and as JSON: FalkorDB properties cannot hold maps),
// where its files are and when it was made (epoch ms). Rebuilding a name replaces the record.
MERGE (d:Dataset {id: $id})
SET d.name = $dataset_name,
    d.label_via = $label_via,
    d.query_name = $query_name,
    d.query = $query,
    d.query_hash = $query_hash,
    d.arguments = $arguments,
    d.classes = $classes,
    d.counts = $counts,
    d.counts_json = $counts_json,
    d.split_counts_json = $split_counts_json,
    d.size = $size,
    d.manifest_sha256 = $manifest_sha256,
    d.out_dir = $out_dir,
    d.created_at = $created_at
RETURN d.id AS id
