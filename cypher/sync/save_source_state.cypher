// Record the files a source was just loaded from (after every row is written, so that an
// interrupted load or sync leaves the old record and the next sync reads the source again).
// $row: {id, name, path, files_sha256, files (JSON: relative path -> sha256), file_count, removed}
MERGE (s:Source {id: $row.id})
SET s += $row, s.synced_at = timestamp()
RETURN s.name AS name
