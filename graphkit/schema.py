"""Uniqueness constraints and indexes for every label, applied idempotently on either engine.

Labels cannot be Cypher parameters, so the statements are built here from the fixed model;
no user value ever reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphkit.errors import QueryError
from graphkit.model import (
    FULLTEXT_INDEXES,
    NODE_LABELS,
    PROPERTY_INDEXES,
    fulltext_index_name,
)
from graphkit.store import GraphStore


@dataclass
class SchemaReport:
    created: list[str]
    existing: list[str]


def apply_schema(store: GraphStore) -> SchemaReport:
    if store.dialect == "neo4j":
        return _apply_neo4j(store)
    return _apply_falkordb(store)


def neo4j_statements() -> list[tuple[str, str, str]]:
    """(what, statement, counter that rises when it creates something) for Neo4j 5."""
    statements = [
        (
            f"{label}.id unique",
            f"CREATE CONSTRAINT {label.lower()}_id_unique IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE",
            "constraints_added",
        )
        for label in NODE_LABELS
    ]
    statements += [
        (
            f"{label}.{prop}",
            f"CREATE INDEX {label.lower()}_{prop}_index IF NOT EXISTS "
            f"FOR (n:{label}) ON (n.{prop})",
            "indexes_created",
        )
        for label, prop in PROPERTY_INDEXES
    ]
    statements += [
        (
            f"{label}.{prop} full-text",
            f"CREATE FULLTEXT INDEX {fulltext_index_name(label, prop)} IF NOT EXISTS "
            f"FOR (n:{label}) ON EACH [n.{prop}]",
            "indexes_created",
        )
        for label, prop in FULLTEXT_INDEXES
    ]
    return statements


def _apply_neo4j(store: GraphStore) -> SchemaReport:
    created, existing = [], []
    for what, statement, counter in neo4j_statements():
        result = store.cypher(statement, write=True)
        (created if result.counters.get(counter) else existing).append(what)
    return SchemaReport(created, existing)


def _falkordb_state(store: GraphStore) -> tuple[set[tuple[str, str]], set[str]]:
    """(indexed (label, property) pairs, with (label, property + ' full-text') for full-text
    ones; labels with a unique id constraint)."""
    indexes = set()
    for row in store.cypher("CALL db.indexes() YIELD label, types RETURN label, types").rows:
        for prop, kinds in (row["types"] or {}).items():
            if "RANGE" in kinds:
                indexes.add((row["label"], prop))
            if "FULLTEXT" in kinds:
                indexes.add((row["label"], f"{prop} full-text"))
    constraints = {
        row["label"]
        for row in store.cypher(
            "CALL db.constraints() YIELD type, label, properties RETURN type, label, properties"
        ).rows
        if row["type"] == "UNIQUE" and row["properties"] == ["id"]
    }
    return indexes, constraints


def _apply_falkordb(store: GraphStore) -> SchemaReport:
    created, existing = [], []
    store.cypher("RETURN 1", write=True)  # creates the graph key, which db.indexes() needs
    indexes, constraints = _falkordb_state(store)
    wanted = [(label, "id") for label in NODE_LABELS] + list(PROPERTY_INDEXES)
    for label, prop in wanted:
        if (label, prop) in indexes:
            existing.append(f"{label}.{prop}")
            continue
        # FalkorDB's CREATE INDEX takes no name and no IF NOT EXISTS, hence the check above.
        store.cypher(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})", write=True)
        created.append(f"{label}.{prop}")
    for label, prop in FULLTEXT_INDEXES:
        if (label, f"{prop} full-text") in indexes:
            existing.append(f"{label}.{prop} full-text")
            continue
        store.cypher(
            "CALL db.idx.fulltext.createNodeIndex($label, $prop)",
            {"label": label, "prop": prop},
            write=True,
        )
        created.append(f"{label}.{prop} full-text")
    graph_name = getattr(store.engine, "graph_name", "art")
    for label in NODE_LABELS:
        if label in constraints:
            existing.append(f"{label}.id unique")
            continue
        try:
            store.engine.command(
                "GRAPH.CONSTRAINT",
                "CREATE",
                graph_name,
                "UNIQUE",
                "NODE",
                label,
                "PROPERTIES",
                "1",
                "id",
            )
        except QueryError as exc:
            if "already exists" not in str(exc):
                raise
        created.append(f"{label}.id unique")
    return SchemaReport(created, existing)
