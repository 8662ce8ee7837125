"""The engines' own vector indexes on Artwork.embedding and GeneratedImage.embedding.

Labels cannot be Cypher parameters, so, as in graphkit/schema.py, the statements are built here
from fixed labels; the dimension is an int. Every `graphkit embed` drops the indexes, clears the
old vectors, writes the new ones and builds the indexes again: FalkorDB 4.16 does not update a
vector property in place, and its index returns too few neighbours after vectors change
(measured: k=5 gave 2). Bulk building after the writes is also the quicker order.
"""

from __future__ import annotations

import time

from graphkit.errors import QueryError
from graphkit.store import GraphStore

EMBEDDED_LABELS = ("Artwork", "GeneratedImage")


def index_name(label: str) -> str:
    return {"Artwork": "artwork_embedding", "GeneratedImage": "generatedimage_embedding"}[label]


def drop_vector_indexes(store: GraphStore) -> None:
    for label in EMBEDDED_LABELS:
        if _current_dimension(store, label) is not None:
            _drop(store, label)


def create_vector_indexes(store: GraphStore, dimension: int) -> list[str]:
    for label in EMBEDDED_LABELS:
        _create(store, label, int(dimension))
    return [f"{label}.embedding ({int(dimension)})" for label in EMBEDDED_LABELS]


def _current_dimension(store: GraphStore, label: str) -> int | None:
    if store.dialect == "neo4j":
        rows = store.cypher(
            "SHOW VECTOR INDEXES YIELD name, options WHERE name = $name RETURN options",
            {"name": index_name(label)},
        ).rows
        if not rows:
            return None
        return int(rows[0]["options"]["indexConfig"]["vector.dimensions"])
    store.cypher("RETURN 1", write=True)  # db.indexes() needs the graph to exist
    for row in store.cypher("CALL db.indexes() YIELD label, options RETURN label, options").rows:
        spec = (row.get("options") or {}).get("embedding")
        if row["label"] == label and spec:
            return int(spec["dimension"])
    return None


def _drop(store: GraphStore, label: str) -> None:
    if store.dialect == "neo4j":
        store.cypher(f"DROP INDEX {index_name(label)} IF EXISTS", write=True)
    else:
        store.cypher(f"DROP VECTOR INDEX FOR (n:{label}) ON (n.embedding)", write=True)


def _create(store: GraphStore, label: str, dimension: int) -> None:
    if store.dialect == "neo4j":
        store.cypher(
            f"CREATE VECTOR INDEX {index_name(label)} IF NOT EXISTS FOR (n:{label}) "
            f"ON n.embedding OPTIONS {{indexConfig: {{`vector.dimensions`: {dimension}, "
            # Quantised vectors (5.23+'s default) score an artwork against itself at 0.994.
            "`vector.similarity_function`: 'cosine', `vector.quantization.enabled`: false}}",
            write=True,
        )
        store.cypher("CALL db.awaitIndexes(300)")
        return
    try:
        store.cypher(
            f"CREATE VECTOR INDEX FOR (n:{label}) ON (n.embedding) "
            "OPTIONS {dimension: $dimension, similarityFunction: 'cosine'}",
            {"dimension": dimension},
            write=True,
        )
    except QueryError as exc:
        if "already" not in str(exc).lower():
            raise
    _await_falkordb(store, label)


def _await_falkordb(store: GraphStore, label: str, timeout_s: float = 600.0) -> None:
    """FalkorDB builds an index in the background; queries on it fail until it is ready."""
    deadline = time.monotonic() + timeout_s
    while True:
        states = [
            str(row["status"])
            for row in store.cypher(
                "CALL db.indexes() YIELD label, status RETURN label, status"
            ).rows
            if row["label"] == label
        ]
        if not any("UNDER CONSTRUCTION" in state for state in states):
            return
        if time.monotonic() > deadline:
            raise QueryError(f"the vector index on {label} was not built within {timeout_s:.0f} s")
        time.sleep(0.05)
