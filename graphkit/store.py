"""GraphStore: an engine plus the query library; everything above it runs queries by name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphkit.engines import GraphEngine, Result, open_engine
from graphkit.queries import QueryLibrary, default_library
from graphkit.settings import Settings


class GraphStore:
    def __init__(self, engine: GraphEngine, library: QueryLibrary | None = None) -> None:
        self.engine = engine
        self.library = library or default_library()

    @property
    def dialect(self) -> str:
        return self.engine.dialect

    def text(self, name: str) -> str:
        return self.library.get(name, self.engine.dialect)

    def read(self, name: str, **params: Any) -> Result:
        return self.engine.run(self.text(name), params, write=False)

    def write(self, name: str, **params: Any) -> Result:
        return self.engine.run(self.text(name), params, write=True)

    def cypher(
        self, text: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Result:
        """Run ad-hoc Cypher (the `graphkit cypher` command, tests)."""
        return self.engine.run(text, params or {}, write=write)

    def close(self) -> None:
        self.engine.close()


@contextmanager
def open_store(settings: Settings | None = None) -> Iterator[GraphStore]:
    store = GraphStore(open_engine(settings or Settings.from_env()))
    try:
        yield store
    finally:
        store.close()
