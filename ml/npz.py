"""A dataclass of numpy arrays and floats round-tripped through one .npz file (no pickle): the
small fitted heads (movement probe, backbone detector) are stored this way."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

import numpy as np

T = TypeVar("T")


def save_fields(obj: Any, path: Path) -> None:
    """Every field of the dataclass OBJ as an array in PATH."""
    np.savez(path, **{f.name: np.asarray(getattr(obj, f.name)) for f in fields(obj)})


def load_fields(cls: type[T], path: Path) -> T:
    """A CLS from PATH as save_fields wrote it: fields annotated `float` come back as floats."""
    hints = get_type_hints(cls)
    with np.load(path, allow_pickle=False) as stored:
        values = {
            f.name: float(stored[f.name]) if hints[f.name] is float else stored[f.name]
            for f in fields(cls)  # type: ignore[arg-type]
        }
    return cls(**values)
