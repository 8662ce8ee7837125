// Record built datasets (one row each, in the loader's $rows shape): the labelling query and
// its hash, the arguments (JSON), the classes with their counts (parallel lists, and as JSON:
// FalkorDB properties cannot hold maps), where the files are and when it was made (epoch ms).
// row: {id, name, label_via, query_name, query, query_hash, arguments, classes, counts,
//       counts_json, split_counts_json, size, manifest_sha256, out_dir, created_at}
// Rebuilding a name replaces its record.
UNWIND $rows AS row
MERGE (d:Dataset {id: row.id})
SET d += row
RETURN count(d) AS saved
