"""The graph store of one app (one per worker process): opened at the first request that needs
it, shared by that worker's threads, closed when the app shuts down.

A dead database must cost only the requests made while it is down: when a call raises
GraphUnavailable the store is closed and forgotten, the request answers 503, and the next
request opens a fresh one (which, for the embedded engine, starts its server again).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from flask import current_app

from graphkit.engines import Result, open_engine
from graphkit.errors import GraphUnavailable
from graphkit.settings import Settings
from graphkit.store import GraphStore

EXTENSION = "graphkit_store"


class StoreHolder:
    def __init__(
        self, settings: Settings, opener: Callable[[Settings], GraphStore] | None = None
    ) -> None:
        self.settings = settings
        self._open = opener or (lambda s: GraphStore(open_engine(s)))
        self._store: GraphStore | None = None
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = self._open(self.settings)
            return self._store

    def discard(self, store: GraphStore) -> None:
        """Forget STORE after its engine failed; the next request opens a new one."""
        with self._lock:
            if self._store is store:
                self._store = None
        with contextlib.suppress(Exception):  # closing a dead connection may fail too
            store.close()

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()

    def call(self, work: Callable[[GraphStore], Any]) -> Any:
        store = self.get()
        try:
            return work(store)
        except GraphUnavailable:
            self.discard(store)
            raise


def holder() -> StoreHolder:
    return current_app.extensions[EXTENSION]


def read(name: str, **params: Any) -> Result:
    """Run the named read query on this app's store."""
    return holder().call(lambda store: store.read(name, **params))


def rows(name: str, **params: Any) -> list[dict[str, Any]]:
    return read(name, **params).rows


def page_rows(name: str, page: Any, **params: Any) -> dict[str, Any]:
    """One page of the named query's rows (it takes $offset and $limit) as the list body;
    PAGE is an api.params.Page."""
    found = rows(name, **params, offset=page.offset, limit=page.limit + 1)
    return page.envelope(found)


def dialect() -> str:
    return holder().get().dialect


def with_store(work: Callable[[GraphStore], Any]) -> Any:
    """WORK(store) for code that takes a store (ml.embeddings, analytics), with the same
    recovery as `read`."""
    return holder().call(work)
