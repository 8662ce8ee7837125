"""Rows from the graph made fit for clients: stored file paths become /media URLs (a client
never sees the server's file system)."""

from __future__ import annotations

from typing import Any

from api.media import media_url


def with_image(row: dict[str, Any], path_key: str = "image_path") -> dict[str, Any]:
    """ROW without its file path, with `image_url` and `thumbnail_url` (None without one).
    A generated tile (a `tile` in the row) is served out of its grid file."""
    out = dict(row)
    path = out.pop(path_key, None)
    tile = out.get("tile")
    out["image_url"] = media_url(path, tile=tile)
    out["thumbnail_url"] = media_url(path, tile=tile, thumb=True)
    return out


def with_images(rows: list[dict[str, Any]], path_key: str = "image_path") -> list[dict[str, Any]]:
    return [with_image(row, path_key) for row in rows]
