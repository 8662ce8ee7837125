// Register a model version: one Model node per name and weights (id from both); the version
// counts up per name. Registering the same weights again changes nothing but the path they
// were found at. The model is linked to the Dataset it was trained on when the graph has it.
// $id, $model (the name); $props: {task, kind, sha256, weights, classes, metrics, config (JSON strings for
// the maps), dataset_id, dataset_manifest_sha256, trained_at, code_version, path}
OPTIONAL MATCH (same:Model {name: $model})
WITH max(same.version) AS top, collect(same.id) AS known
MERGE (m:Model {id: $id})
ON CREATE SET m += $props, m.name = $model, m.version = coalesce(top, 0) + 1,
    m.registered_at = timestamp()
ON MATCH SET m.path = $props.path
WITH m, NOT $id IN known AS created
OPTIONAL MATCH (d:Dataset {id: m.dataset_id})
FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (m)-[:TRAINED_ON]->(x))
RETURN m.id AS id, m.version AS version, created, d.id AS dataset
