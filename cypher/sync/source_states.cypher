// What each source was last loaded from (a Source node per source, written by populate and
// sync): the folder, the sha256 of its files (one digest, and per file as JSON), and how many
// rows that source no longer states are still in the graph (kept until a sync with --prune).
// $source: one source, or null for all.
MATCH (s:Source)
WHERE $source IS NULL OR s.name = $source
RETURN s.name AS name, s.path AS path, s.files_sha256 AS files_sha256, s.files AS files,
       s.file_count AS file_count, s.removed AS removed, s.synced_at AS synced_at
ORDER BY name
