"""The graph model: node labels with their key, relationship types with their endpoints."""

from __future__ import annotations

from dataclasses import dataclass

# Every node has a unique string `id`; these labels get a uniqueness constraint on it.
NODE_LABELS: tuple[str, ...] = (
    "Artist",
    "Artwork",
    "Movement",
    "Place",
    "Academy",
    "Medium",
    "Specialization",
    "GeneratedImage",
    "Dataset",
    "Model",
    "Prediction",
    "Review",
    "Source",
    "IdentityDecision",
)

# Secondary indexes the queries look things up by.
PROPERTY_INDEXES: tuple[tuple[str, str], ...] = (
    ("Artist", "name"),
    ("Artwork", "image_sha256"),
    ("Artwork", "title"),
    ("Movement", "name"),
    ("Place", "name"),
    ("GeneratedImage", "path"),
    ("Model", "name"),
    ("Prediction", "model_name"),
)

# Full-text indexes for the API's text search (a scan with CONTAINS costs ~60 ms on 89k titles).
FULLTEXT_INDEXES: tuple[tuple[str, str], ...] = (
    ("Artwork", "title"),
    ("Artist", "name"),
)


def fulltext_index_name(label: str, prop: str) -> str:
    """Neo4j's name for the full-text index (FalkorDB addresses it by label)."""
    return f"{label.lower()}_{prop}_fulltext"


@dataclass(frozen=True)
class RelType:
    name: str
    start: str
    end: str

    @property
    def load_query(self) -> str:
        return f"load/rel_{self.name.lower()}"


# Relationships the loader writes; the query files live at cypher/load/rel_<type>.cypher.
LOADED_RELATIONSHIPS: tuple[RelType, ...] = (
    RelType("CREATED_BY", "Artwork", "Artist"),
    RelType("MEMBER_OF", "Artist", "Movement"),
    RelType("IN_STYLE", "Artwork", "Movement"),
    RelType("BORN_IN", "Artist", "Place"),
    RelType("DIED_IN", "Artist", "Place"),
    RelType("LOCATED_IN", "Place", "Place"),
    RelType("EDUCATED_AT", "Artist", "Academy"),
    RelType("APPRENTICE_OF", "Artist", "Artist"),
    RelType("SPECIALIZED_IN", "Artist", "Specialization"),
    RelType("USES", "Artwork", "Medium"),
    RelType("RECOMMENDS", "Artwork", "Artwork"),
    RelType("IN_STYLE_OF", "GeneratedImage", "Artist"),
    RelType("BASED_ON", "GeneratedImage", "Artwork"),
)

REL_BY_NAME = {rel.name: rel for rel in LOADED_RELATIONSHIPS}

# Labels the loader upserts, in dependency order (endpoints before relationships).
LOADED_LABELS: tuple[str, ...] = (
    "Movement",
    "Place",
    "Academy",
    "Medium",
    "Specialization",
    "Artist",
    "Artwork",
    "GeneratedImage",
)


def upsert_query(label: str) -> str:
    return f"load/upsert_{label.lower()}"
