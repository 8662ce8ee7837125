"""The files a source is read from, hashed, so that a sync can skip an unchanged source
before reading a single row."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.sources.common import require_dir

BLOCK = 1 << 20
# hashlib releases the GIL on large buffers: a few threads keep the disk and both cores busy.
HASH_THREADS = 4


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(BLOCK), b""):
                digest.update(block)
    except OSError as exc:
        # The reader decides what an unreadable file means (a rejected row, or a stop); its
        # hash only has to change when the file becomes readable again.
        return f"unreadable:{exc.errno}"
    return digest.hexdigest()


@dataclass(frozen=True)
class FileChanges:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def count(self) -> int:
        return len(self.changed) + len(self.added) + len(self.removed)

    def as_dict(self) -> dict[str, list[str]]:
        return {"changed": self.changed, "added": self.added, "removed": self.removed}


@dataclass(frozen=True)
class SourceFiles:
    root: str  # the folder, resolved: image paths in the graph are absolute
    hashes: dict[str, str]  # path relative to root -> sha256 (and its real path, for a link)

    @property
    def digest(self) -> str:
        listing = "\n".join(f"{name}\t{sha}" for name, sha in sorted(self.hashes.items()))
        return hashlib.sha256(f"{self.root}\n{listing}".encode()).hexdigest()

    def changes_since(self, before: dict[str, str]) -> FileChanges:
        return FileChanges(
            changed=sorted(n for n, sha in self.hashes.items() if n in before and before[n] != sha),
            added=sorted(set(self.hashes) - set(before)),
            removed=sorted(set(before) - set(self.hashes)),
        )


def _file_names(root: Path) -> list[str]:
    names: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        names += [os.path.relpath(Path(folder, f), root) for f in files if not f.startswith(".")]
    return sorted(names)


def _entry(path: Path) -> str:
    """A file's sha256, and where it really is when that is elsewhere (a link): the graph
    stores resolved image paths, so a link pointed at an equal file elsewhere is a change."""
    real = os.path.realpath(path)
    sha = sha256_of(path)
    return sha if real == str(path) else f"{sha} {real}"


def hash_source_files(root: Path) -> SourceFiles:
    """Every file under ROOT (links followed, hidden names skipped), hashed."""
    root = require_dir(Path(root)).resolve()
    names = _file_names(root)
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        hashes = dict(zip(names, pool.map(lambda n: _entry(root / n), names), strict=True))
    return SourceFiles(str(root), hashes)
