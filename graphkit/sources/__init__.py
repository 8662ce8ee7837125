"""Source readers: each turns one collection's files into a cleaned SourceBatch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphkit.records import SourceBatch

Reader = Callable[[Path], SourceBatch]


def readers() -> dict[str, Reader]:
    """Source name → reader, in the order `populate all` loads them (Tate's display names are
    the cleanest, so its artists name the merged nodes)."""
    from graphkit.sources import aic, datathon, generated, tate, wikiart

    return {
        "tate": tate.read,
        "datathon": datathon.read,
        "aic": aic.read,
        "generated": generated.read,
        "wikiart": wikiart.read,
    }


# Where each source lives under the shared data directory.
DEFAULT_SUBDIRS = {
    "tate": "tate",
    "datathon": "datathon",
    "aic": "aic_paintings",
    "generated": "ai_generated",
    "wikiart": "wikiart",
}
