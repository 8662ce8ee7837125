"""graphkit: populate, query and analyse an art-collection graph (Neo4j 5 or embedded FalkorDB)."""

__version__ = "0.1.0"
