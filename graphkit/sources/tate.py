"""The Tate collection: artists and artworks as gzip'd JSON lines."""
from pathlib import Path

from graphkit.records import SourceBatch


def read(path: Path) -> SourceBatch:
    return SourceBatch("tate")
