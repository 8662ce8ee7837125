"""Reading helpers every source shares: required files and columns, JSON lines, images."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import imagehash
import pandas as pd
from PIL import Image, UnidentifiedImageError

from graphkit.errors import SourceError
from graphkit.names import PersonName, split_attribution
from graphkit.normalize import (
    clean,
    display_name,
    keyed_id,
    movement_alias,
    movement_id,
    movement_name,
)
from graphkit.places import place_id, resolve_chain
from graphkit.records import SourceBatch

MAX_IMAGE_PIXELS = 50_000_000  # larger images are rejected, not decoded
MAX_IMAGE_BYTES = 64 * 1024 * 1024
PHASH_SOURCE_PX = 32
PARALLEL_MIN_IMAGES = 100


def require_file(path: Path) -> Path:
    if not path.exists():
        raise SourceError(f"missing file: {path}")
    if not path.is_file():
        raise SourceError(f"not a file: {path}")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return path


def require_dir(path: Path) -> Path:
    if not path.exists():
        raise SourceError(f"missing directory: {path}")
    if not path.is_dir():
        raise SourceError(f"not a directory: {path}")
    return path


def require_columns(frame_columns: Any, required: tuple[str, ...], where: Path) -> None:
    missing = [c for c in required if c not in set(frame_columns)]
    if missing:
        raise SourceError(f"{where} lacks required column(s) {', '.join(missing)}")


def read_parquet(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    require_file(path)
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise SourceError(f"cannot read parquet file {path}: {exc}") from exc
    require_columns(frame.columns, required, path)
    return frame.astype(object).where(frame.notna(), None)


def read_json_list(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    require_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise SourceError(f"{path} should hold a JSON list of records")
    keys = set().union(*(rec.keys() for rec in data if isinstance(rec, dict))) if data else set()
    require_columns(keys, required, path)
    return data


def iter_jsonl_gz(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, error or None) for each line, so one bad line is rejected
    without losing the rest."""
    require_file(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, None, f"malformed JSON: {exc.msg}"
                    continue
                if not isinstance(record, dict):
                    yield number, None, "line is not a JSON object"
                    continue
                yield number, record, None
    except (OSError, EOFError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc


class ImageProblem(ValueError):
    """A file that should be an image and is not, or is too large to accept."""


@dataclass(frozen=True)
class ImageInfo:
    path: str
    sha256: str
    width: int
    height: int
    format: str
    phash: str | None  # perceptual hash (imagehash.phash, 16 hex digits) to find near-duplicates


def inspect_image(path: Path, with_phash: bool = True) -> ImageInfo:
    """Hash an image and check that it is one, without a full-size decode."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImageProblem(f"missing image file {path}") from exc
    except OSError as exc:
        raise ImageProblem(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        raise ImageProblem(f"{path} is empty")
    if size > MAX_IMAGE_BYTES:
        raise ImageProblem(f"{path} is {size} bytes, over the {MAX_IMAGE_BYTES} byte limit")
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height, fmt = image.width, image.height, image.format or "unknown"
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageProblem(f"{path} is {width}x{height}, over {MAX_IMAGE_PIXELS} pixels")
            if with_phash:
                # Decoding catches truncated or damaged data; JPEG decodes cheaply at a
                # reduced scale, which is all the 32 px perceptual hash needs.
                image.draft("L", (PHASH_SOURCE_PX, PHASH_SOURCE_PX))
                image.load()
                phash = str(imagehash.phash(image))
            else:
                image.verify()
                phash = None
    except ImageProblem:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageProblem(f"{path} is not a readable image: {exc}") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"{path} is a corrupt image: {exc}") from exc
    return ImageInfo(
        str(path.resolve()), hashlib.sha256(data).hexdigest(), width, height, fmt, phash
    )


def image_props(info: ImageInfo) -> dict[str, Any]:
    return {
        "image_path": info.path,
        "image_sha256": info.sha256,
        "image_width": info.width,
        "image_height": info.height,
        "image_format": info.format,
        "image_phash": info.phash,
    }


def _inspect_or_problem(path: Path, with_phash: bool) -> ImageInfo | ImageProblem:
    try:
        return inspect_image(path, with_phash)
    except ImageProblem as problem:
        return problem


def inspect_images(
    paths: list[Path], with_phash: bool = True
) -> dict[Path, ImageInfo | ImageProblem]:
    """Inspect many images; decoding holds the GIL, so large sets go to worker processes."""
    if len(paths) < PARALLEL_MIN_IMAGES or (os.cpu_count() or 1) < 2:
        return {path: _inspect_or_problem(path, with_phash) for path in paths}
    work = partial(_inspect_or_problem, with_phash=with_phash)
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return dict(zip(paths, pool.map(work, paths, chunksize=64), strict=True))


def add_place_chain(
    batch: SourceBatch, names: list[str], leaf_type: str | None, source_id: str | None = None
) -> str | None:
    """Places named from the top down (['United Kingdom', 'London']): one node per level,
    each LOCATED_IN the one above; the chain is put under its country where one is known
    (places.resolve_chain), and the country gets its English name and the type 'country'.
    Returns the leaf's id."""
    raw_top = next((str(n) for n in names if clean(n)), "")
    names, resolved = resolve_chain(names)
    if not names:
        return None
    country = resolved is not None
    if resolved == "under its country" and not batch.has_node("Place", place_id(names[:2])):
        batch.rule("place put under its country", name=raw_top, country=names[0])
    parent_id = None
    for depth, name in enumerate(names):
        node_id = place_id(names[: depth + 1])
        is_leaf = depth == len(names) - 1
        place_type = "country" if depth == 0 and country else (leaf_type if is_leaf else None)
        batch.add_node(
            "Place", node_id, {"name": name, "type": place_type}, source_id if is_leaf else None
        )
        if parent_id:
            batch.add_rel("LOCATED_IN", node_id, parent_id)
        parent_id = node_id
    return parent_id


def add_medium(batch: SourceBatch, artwork_id: str, medium: str | None) -> None:
    """A Medium node per distinct medium text, and the artwork's USES link to it."""
    if medium:
        medium_id = keyed_id("medium", medium)
        batch.add_node("Medium", medium_id, {"name": medium})
        batch.add_rel("USES", artwork_id, medium_id)


def artist_name(
    batch: SourceBatch, raw: Any, where: str, display: bool = True
) -> PersonName | None:
    """The artist's display name with any attribution taken out of it ('(after) Landseer, Sir
    Edwin' → 'Sir Edwin Landseer', 'after'); the move is logged as a rule. DISPLAY=False
    keeps the name's own order (AIC's 'Name (Nationality, born–died)')."""
    text = clean(raw)
    if text is None:
        return None
    person = split_attribution(str(text))
    name = display_name(person.name) if display else person.name
    if name is None:
        return None
    if person.attribution:
        batch.rule(
            "attribution moved to relationship",
            file=where,
            raw=str(text),
            name=name,
            attribution=person.attribution,
        )
    return PersonName(name, person.attribution)


def creator_props(
    batch: SourceBatch, artist_ref: str, attribution: str | None = None
) -> dict[str, Any]:
    """CREATED_BY properties: the role 'artist' and the attribution, stated for this work or
    carried by the artist's record ('(after) X' in the datathon names only after-works)."""
    return {"role": "artist", "attribution": attribution or batch.attributions.get(artist_ref)}


def add_movement(
    batch: SourceBatch, raw: Any, source_id: str, props: dict[str, Any] | None = None
) -> str | None:
    """The Movement node for a source's spelling of a movement, or None for no name. A
    spelling the rules replace ('Neo-Classicism' → Neoclassicism) is kept as an alias."""
    name = movement_name(raw)
    if name is None:
        return None
    node_id = movement_id(name)
    alias = movement_alias(raw)
    known = batch.nodes["Movement"].get(node_id)
    if alias and (known is None or alias not in known.aliases):
        batch.rule("movement alias folded", spelling=alias, movement=name, node=node_id)
    batch.add_node("Movement", node_id, {"name": name, **(props or {})}, source_id, alias)
    return node_id
