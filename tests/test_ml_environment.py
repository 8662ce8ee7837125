"""The ML stack installs as a working pair, and stays offline."""

from __future__ import annotations

import os
from pathlib import Path

from ml.offline import go_offline


def test_torch_and_torchvision_are_a_matching_pair() -> None:
    import torch
    import torchvision
    import torchvision.ops  # fails when torchvision was built for another torch

    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 10.0, 10.0], [20.0, 20, 30, 30]])
    keep = torchvision.ops.nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
    assert keep.tolist() == [0, 2]
    assert torchvision.__version__.split("+")[0] == "0.29.2"


def test_go_offline_keeps_caches_in_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    for name in ("TORCH_HOME", "HF_HOME", "YOLO_CONFIG_DIR", "MPLCONFIGDIR", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    applied = go_offline(tmp_path)
    assert os.environ["HF_HUB_OFFLINE"] == "1" and applied["YOLO_OFFLINE"] == "1"
    for name in ("TORCH_HOME", "HF_HOME", "YOLO_CONFIG_DIR", "MPLCONFIGDIR"):
        assert Path(os.environ[name]).is_relative_to(tmp_path)
        assert Path(os.environ[name]).is_dir()
