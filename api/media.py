"""GET /media/<root>/<path>: artwork images from the configured data directories only.

`root` names one directory (`shared`: the shared data the graph's image paths point into;
`data`: the project's data dir); a path that leaves it, through `..` or a link, is a 404, and
only image files are served (the data dir also holds the graph's files). `?tile=N` serves tile
N (0-3) of a generated 2x2 grid file (of nothing else); `?thumb=true` a small copy for lists.
Tiles and thumbnails are made once and kept under <data dir>/thumbnails. Every answer carries ETag,
Last-Modified and Cache-Control, and a matching If-None-Match gets 304.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, current_app, send_file
from PIL import Image
from werkzeug.security import safe_join

from api import params
from api.config import ApiSettings
from api.errors import NotFound, Unprocessable
from graphkit.errors import ImageError
from graphkit.sources.generated import GRID, INDEX_FILE, tile_box

bp = Blueprint("media", __name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"}
MAX_NAME_BYTES = 255  # one path component, as every common file system allows
THUMB_PX = 320
CACHE_SECONDS = 86_400
DERIVED_VERSION = "1"  # bump when the way tiles or thumbnails are made changes


def settings() -> ApiSettings:
    return current_app.config["GRAPHKIT"]


def media_url(path: str | None, *, tile: int | None = None, thumb: bool = False) -> str | None:
    """The /media URL of an image path stored in the graph, or None when it lies outside
    every served directory (or there is none)."""
    if not path:
        return None
    resolved = Path(path)
    for name, root in settings().media_roots.items():
        if resolved.is_relative_to(root):
            url = f"/media/{name}/{quote(resolved.relative_to(root).as_posix())}"
            query = [f"tile={tile}"] if tile is not None else []
            query += ["thumb=true"] if thumb else []
            return url + ("?" + "&".join(query) if query else "")
    return None


def resolve_media(root_name: str, relative: str) -> Path:
    """The file ROOT_NAME/RELATIVE names, checked to stay inside its root; NotFound else."""
    missing = NotFound(f"no media file {root_name}/{relative[:300]}")
    root = settings().media_roots.get(root_name)
    joined = safe_join(str(root), relative) if root is not None else None
    if joined is None or any(len(part.encode()) > MAX_NAME_BYTES for part in relative.split("/")):
        raise missing
    try:
        path = Path(joined).resolve()
        found = (
            root is not None
            and path.is_relative_to(root)
            and path.suffix.lower() in IMAGE_SUFFIXES
            and path.is_file()
        )
    except (OSError, ValueError):  # a name the file system refuses (too long, a loop)
        raise missing from None
    if not found:
        raise missing
    return path


def is_grid(path: Path) -> bool:
    """Whether PATH is a grid of generated images (grids/<file> beside their grids.json):
    only those are cut into tiles, so a visitor cannot have tiles made of any image."""
    return path.parent.name == "grids" and (path.parent.parent / INDEX_FILE).is_file()


def _derived(source: Path, tile: int | None, thumb: bool) -> Path:
    """The tile and/or thumbnail of SOURCE, made once and cached (keyed by the file's identity,
    so an edited source gets a new copy)."""
    stat = source.stat()
    key = f"{DERIVED_VERSION}:{source}:{stat.st_mtime_ns}:{stat.st_size}:{tile}:{thumb}"
    cache_dir = settings().thumbnail_dir
    target = cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.webp"
    if target.is_file():
        return target
    from ml.images import open_image

    try:
        image = open_image(source, max_pixels=settings().max_image_pixels)
    except ImageError as exc:
        raise Unprocessable(f"cannot serve {source.name}: {exc}") from exc
    if tile is not None:
        image = image.crop(tuple(tile_box(image.width, image.height, tile)))
    if thumb:
        image.thumbnail((THUMB_PX, THUMB_PX), Image.Resampling.LANCZOS)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a concurrent request never sees half a file.
    handle, scratch = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        image.save(out, "WEBP", quality=85 if thumb else 92)
    os.replace(scratch, target)
    return target


@bp.get("/media/<root>/<path:relative>")
def media(root: str, relative: str) -> Response:
    source = resolve_media(root, relative)
    tile = params.integer("tile", None, minimum=0, maximum=GRID * GRID - 1)
    if tile is not None and not is_grid(source):
        raise NotFound(f"{root}/{relative} is not a grid of generated images: it has no tiles")
    thumb = bool(params.boolean("thumb"))
    served = _derived(source, tile, thumb) if tile is not None or thumb else source
    response = send_file(served, conditional=True, etag=True, max_age=CACHE_SECONDS)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
