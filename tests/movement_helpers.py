"""A real slice of the WikiArt styles as a movement dataset (written with the project's own
dataset writer, split by artist) and a tiny trained model, shared by the movement tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from graphkit.datasets.manifest import write_dataset
from ml.offline import go_offline

SLICE_STYLES = {
    "Baroque": "Baroque",
    "Minimalism": "Minimalism",
    "Pointillism": "Pointillism",
    "Ukiyo_e": "Ukiyo-e",
}


def _split_of(artist: str) -> str:
    bucket = int(hashlib.sha256(artist.encode()).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "val" if bucket < 8 else "test"


def write_slice(wikiart: Path, out_dir: Path, per_class: int, name: str = "slice") -> Path:
    """PER_CLASS images of each of four styles, taken across as many artists as possible."""
    rows = []
    for folder, label in SLICE_STYLES.items():
        files = sorted((wikiart / folder).glob("*.jpg"))
        by_artist: dict[str, list[Path]] = {}
        for path in files:
            by_artist.setdefault(path.name.split("_")[0], []).append(path)
        picked: list[Path] = []
        while len(picked) < per_class and any(by_artist.values()):
            for artist in sorted(by_artist):
                if by_artist[artist] and len(picked) < per_class:
                    picked.append(by_artist[artist].pop(0))
        for path in picked:
            artist = path.name.split("_")[0]
            rows.append(
                {
                    "artwork_id": f"wikiart:artwork:{folder}/{path.stem}",
                    "image_path": str(path),
                    "label": label,
                    "split": _split_of(artist),
                    "artist_id": f"artist:{artist}",
                    "image_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
            )
    manifest = pd.DataFrame(rows).sort_values("artwork_id").reset_index(drop=True)
    classes = sorted(SLICE_STYLES.values())
    summary = {"name": name, "id": f"dataset:{name}", "classes": classes, "size": len(rows)}
    write_dataset(out_dir, manifest, classes, summary)
    return out_dir


@pytest.fixture(scope="session")
def slice_data(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("movement")
    go_offline(root)
    from ml.movement.data import load_movement_data

    folder = write_slice(shared_data / "wikiart", root / "slice", per_class=40)
    return load_movement_data(folder, root / "cache")


def tiny_request(backbone: str, epochs: int = 4):  # type: ignore[no-untyped-def]
    from ml.movement.train import MovementRequest
    from ml.movement.train_loop import TrainConfig

    config = TrainConfig(epochs=epochs, batch_size=16, train_size=128, seed=0)
    return MovementRequest(backbone=backbone, config=config)


@pytest.fixture(scope="session")
def lite0(slice_data, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Lite0 fine-tuned on the slice and saved: (model, metrics, model directory)."""
    from ml.movement.model_dir import save_movement_model
    from ml.movement.train import fit_on

    model, metrics = fit_on(slice_data, tiny_request("efficientnet-lite0"), log=lambda _: None)
    out = tmp_path_factory.mktemp("model") / "lite0"
    save_movement_model(
        out,
        model,
        "efficientnet-lite0",
        slice_data.classes,
        config={},
        metrics=metrics,
        dataset_id=slice_data.dataset_id,
        size=224,
    )
    return model, metrics, out
