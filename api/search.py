"""Free text from a search box, turned into a full-text index query that is always valid.

Both engines' full-text languages (RediSearch for FalkorDB, Lucene for Neo4j) give meaning to
punctuation (`-`, `|`, `(`, `:`, `*`, quotes...). Only the words of the text are kept, letters
and digits, so whatever was typed (a Cypher-looking string included) is searched for as plain
words; each word also matches as a prefix, for search as you type. The text only ever reaches
the query as a parameter.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MIN_PREFIX = 2  # RediSearch refuses shorter prefixes


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def fulltext_query(text: str, dialect: str) -> str | None:
    """Every word must match (FalkorDB intersects terms by default; Lucene needs AND)."""
    terms = [f"{w}*" if len(w) >= MIN_PREFIX else w for w in words(text)]
    if not terms:
        return None
    return " ".join(terms) if dialect == "falkordb" else " AND ".join(terms)
