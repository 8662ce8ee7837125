"""The graph store of one app (one per worker process): opened at the first request that needs
it, shared by that worker's threads, closed when the app shuts down.

A dead database must cost only the requests made while it is down: when a call raises
GraphUnavailable the store is closed and forgotten, the request answers 503, and the next
request opens a fresh one (which, for the embedded engine, starts its server again). One
request at a time opens it. The app's first connection is waited for; once the graph has
been lost, the others answer 503 at once rather than queue behind a reconnection that can
take the whole connect timeout (30 s for an embedded start).
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
        self._lock = threading.Lock()  # guards the three below; never held while opening
        self._opened: threading.Event | None = None  # set when the open under way ends
        self._failed = False  # the last open failed, or the store was discarded

    def get(self) -> GraphStore:
        with self._lock:
            if self._store is not None:
                return self._store
            opened = self._opened
            if opened is None:
                opened = self._opened = threading.Event()
                mine = True
            elif self._failed:
                # The graph was lost: fail fast while one request tries to reconnect.
                raise GraphUnavailable(
                    "the graph was unreachable and another request is reconnecting; "
                    "try again in a moment"
                )
            else:
                mine = False
        if not mine:  # the first connection of this app: worth waiting for
            opened.wait()
            return self.get()
        try:
            store = self._open(self.settings)
        except BaseException:
            with self._lock:
                self._failed = True
            raise
        else:
            with self._lock:
                self._store, self._failed = store, False
            return store
        finally:
            with self._lock:
                self._opened = None
            opened.set()

    def discard(self, store: GraphStore) -> None:
        """Forget STORE after its engine failed; the next request opens a new one."""
        with self._lock:
            if self._store is store:
                self._store, self._failed = None, True
        # Closed aside: closing a connection to a hung server may itself wait on it.
        threading.Thread(target=_close_quietly, args=(store,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            _close_quietly(store)

    def call(self, work: Callable[[GraphStore], Any]) -> Any:
        store = self.get()
        try:
            return work(store)
        except GraphUnavailable:
            self.discard(store)
            raise


def _close_quietly(store: GraphStore) -> None:
    with contextlib.suppress(Exception):  # closing a dead connection may fail too
        store.close()


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
