"""Cypher lives in cypher/, one query per file, addressed by its path: `load/upsert_artist`.

A sibling `NAME.falkordb.cypher` (or `NAME.neo4j.cypher`) replaces the shared text on that engine,
only where the dialects differ. Files are read once, when the library is built.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from graphkit.errors import QueryError
from graphkit.settings import PROJECT_ROOT

DIALECTS = ("neo4j", "falkordb")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def default_query_dir() -> Path:
    return Path(os.environ.get("GRAPHKIT_CYPHER_DIR") or PROJECT_ROOT / "cypher")


class QueryLibrary:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or default_query_dir())
        if not self.root.is_dir():
            raise QueryError(f"query directory {self.root} does not exist")
        self._shared: dict[str, str] = {}
        self._dialect: dict[tuple[str, str], str] = {}
        for path in sorted(self.root.rglob("*.cypher")):
            rel = path.relative_to(self.root).as_posix().removesuffix(".cypher")
            stem, _, suffix = rel.rpartition(".")
            text = _COMMENT.sub("", path.read_text(encoding="utf-8")).strip()
            if not text:
                raise QueryError(f"{path} holds no query")
            if stem and suffix in DIALECTS:
                self._dialect[(stem, suffix)] = text
            else:
                self._shared[rel] = text
        orphans = {name for name, _ in self._dialect} - set(self._shared)
        if orphans:
            raise QueryError(f"dialect files without a shared query: {sorted(orphans)}")

    def names(self) -> list[str]:
        return sorted(self._shared)

    def variants(self) -> list[tuple[str, str]]:
        """Every (name, dialect) pair with its own text, for tests that run each file."""
        return sorted(self._dialect)

    def get(self, name: str, dialect: str) -> str:
        if name not in self._shared:
            raise QueryError(f"no query named {name!r} in {self.root}")
        return self._dialect.get((name, dialect), self._shared[name])


_DEFAULT: QueryLibrary | None = None


def default_library() -> QueryLibrary:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = QueryLibrary()
    return _DEFAULT
