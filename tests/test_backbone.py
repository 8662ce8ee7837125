"""The shipped EfficientNet-Lite weights run in the network they were trained for: on real
images, timm's tf_efficientnet_liteN gives the reference implementation's ImageNet logits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ml.backbone.lite import VARIANTS, build_lite, reference_model


def _images(shared_data: Path, size: int, count: int = 6) -> torch.Tensor:
    """COUNT WikiArt images of different styles, as the reference feeds them."""
    files = sorted((shared_data / "wikiart").glob("*/*.jpg"))[::1500][:count]
    pixels = [
        np.asarray(Image.open(f).convert("RGB").resize((size, size)), dtype=np.float32)
        for f in files
    ]
    x = torch.from_numpy(np.stack(pixels)).permute(0, 3, 1, 2)
    return (x / 255.0 - 0.5) / 0.5


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_imagenet_logits_equal_the_reference_implementation(shared_data: Path, name: str) -> None:
    spec = VARIANTS[name]
    x = _images(shared_data, spec.size)
    with torch.inference_mode():
        ours = build_lite(name, imagenet_head=True)(x)
        theirs = reference_model(name)(x)
    assert ours.shape == theirs.shape == (len(x), 1000)
    assert float((ours - theirs).abs().max()) < 1e-4
    assert torch.equal(ours.argmax(1), theirs.argmax(1))


def test_the_symmetric_padding_twin_would_fail_this_test(shared_data: Path) -> None:
    """The check above can fail: timm's efficientnet_lite0 holding the same tensors (what the
    classifier used to read) differs from the reference by whole logits."""
    import timm

    plain = timm.create_model("efficientnet_lite0", pretrained=False).eval()
    tf = build_lite("lite0", imagenet_head=True)
    plain.load_state_dict(tf.state_dict())
    x = _images(shared_data, 224)
    with torch.inference_mode():
        gap = float((plain(x) - reference_model("lite0")(x)).abs().max())
    assert gap > 1.0
