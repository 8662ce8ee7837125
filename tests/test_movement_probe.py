"""The movement probe's choices on a real WikiArt slice: made on train+val only (the test split
can change without changing anything chosen), calibrated on held-out artists, and with an
uncertain threshold that holds its precision there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import torch

from tests.movement_helpers import tiny_request


def _without_timings(value: object) -> object:
    """VALUE with every "seconds" entry dropped (wall time differs between identical runs)."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def test_selection_never_reads_the_test_split(slice_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Scramble every test image and label: C, the temperature, the threshold, the embedding
    and the fitted head stay exactly what they were; only the test figures move."""
    from ml.movement.train import fit_on

    test = slice_data.split("test")
    rng = np.random.default_rng(0)
    pixels = slice_data.pixels.copy()
    pixels[test] = rng.integers(0, 256, size=pixels[test].shape, dtype=np.uint8)
    labels = slice_data.labels.copy()
    labels[test] = rng.permutation(labels[test]) + 0  # a copy, reordered
    labels[test] = (labels[test] + 1) % len(slice_data.classes)
    keys = slice_data.keys.copy()
    keys[test] = [f"scrambled-{k}" for k in keys[test]]
    scrambled = dataclasses.replace(slice_data, pixels=pixels, labels=labels, keys=keys)

    request = tiny_request("efficientnet-lite0")
    model_a, metrics_a = fit_on(slice_data, request, log=lambda _: None, data_dir=tmp_path)
    model_b, metrics_b = fit_on(scrambled, request, log=lambda _: None, data_dir=tmp_path)
    assert _without_timings(metrics_a["selection"]) == _without_timings(metrics_b["selection"])
    for name, tensor in model_a.state_dict().items():
        assert torch.equal(tensor, model_b.state_dict()[name]), name
    assert metrics_a["test"]["top1"] != metrics_b["test"]["top1"]


def test_probabilities_are_calibrated_on_held_out_artists(lite0) -> None:  # type: ignore[no-untyped-def]
    """The temperature is fitted on out-of-fold logits (artists each fold never saw): it must
    not make calibration worse there, and the calibrated error stays under 0.15 even on this
    160-image slice (the full styles dataset: see the README)."""
    _, metrics, _ = lite0
    ece = metrics["selection"]["ece_out_of_fold"]
    assert ece["after"] <= ece["before"] + 1e-9
    assert ece["after"] < 0.15
    assert 0.05 < metrics["selection"]["temperature"] < 20


def test_the_uncertain_threshold_is_chosen_for_precision_on_held_out_artists(lite0) -> None:  # type: ignore[no-untyped-def]
    from ml.movement.model_dir import load_movement_meta
    from ml.movement.onnx_model import OnnxMovementModel

    _, metrics, out = lite0
    chosen = metrics["selection"]["uncertain"]
    assert chosen["precision"] >= 0.8 and 0.0 < chosen["coverage"] <= 1.0
    model = OnnxMovementModel(load_movement_meta(out))
    assert model.uncertain_below == chosen["threshold"] == metrics["uncertain_below"]
    p = np.array([[chosen["threshold"] - 1e-3, 1.0 - chosen["threshold"] + 1e-3]])
    assert model.is_uncertain(np.array([[1.0, 0.0]])).tolist() == [False]
    assert model.is_uncertain(p).tolist() == [bool(p.max() < chosen["threshold"])]
    # the test split reports how the threshold did on artists never seen
    test = metrics["test"]["uncertain"]
    assert test["threshold"] == chosen["threshold"] and 0.0 <= test["coverage"] <= 1.0


def test_test_figures_carry_artist_resampled_intervals(lite0) -> None:  # type: ignore[no-untyped-def]
    _, metrics, _ = lite0
    test = metrics["test"]
    for name in ("top1", "top5", "macro_f1"):
        interval = test["intervals"][name]
        assert interval["low"] <= test[name] == interval["value"] <= interval["high"]
    assert test["artists"] >= 2
