"""The detectors' own-resolution view (ml/detectors/spectra.py): blocks taken across the image
at its own pixel size, never resized; their averaged spectra find periodic traces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ml.detectors import spectra
from ml.detectors.dct_features import N_FEATURES, features

BLOCK = spectra.BLOCK


def _noise(size: tuple[int, int], seed: int = 0) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels)


@pytest.mark.parametrize(
    ("size", "count"),
    [((512, 512), 16), ((1024, 700), 16), ((224, 224), 4), ((130, 70), 1), ((64, 64), 1)],
)
def test_blocks_spread_over_the_central_region(size: tuple[int, int], count: int) -> None:
    tiles = spectra.blocks(spectra.luma(_noise(size)))
    assert tiles.shape == (count, BLOCK, BLOCK)


def test_tiny_images_are_scaled_up_to_one_block() -> None:
    gray = spectra.luma(Image.new("RGB", (3, 1), (10, 200, 30)))
    assert min(gray.shape) == BLOCK
    assert spectra.spectra(Image.new("RGB", (1, 1))).shape == (2, 2, BLOCK, BLOCK)


def test_the_view_reads_pixels_as_they_are_never_resized() -> None:
    """A 512 px tile framed by a border gives the very same spectra: the region is the tile's
    own pixels, whatever surrounds it, at their own size."""
    tile = _noise((512, 512), seed=1)
    framed = Image.new("RGB", (700, 640), (255, 255, 255))
    framed.paste(tile, (94, 64))
    assert np.array_equal(spectra.spectra(tile), spectra.spectra(framed))
    shrunk = tile.resize((384, 384), Image.Resampling.BILINEAR)
    assert not np.allclose(spectra.spectra(tile), spectra.spectra(shrunk), atol=0.05)


def test_training_moves_the_region_at_random() -> None:
    image = _noise((900, 700), seed=2)
    rng = np.random.default_rng(0)
    first, second = spectra.spectra(image, rng), spectra.spectra(image, rng)
    assert first.shape == second.shape and not np.array_equal(first, second)
    assert np.array_equal(spectra.spectra(image), spectra.spectra(image))


def test_a_periodic_trace_stands_out_in_both_transforms() -> None:
    """An 8-pixel periodic pattern (as an 8x upsampling decoder leaves) on smooth content puts a
    peak at 1/8 of the sampling frequency, above the neighbouring frequencies."""
    y, x = np.mgrid[0:512, 0:512]
    smooth = 128 + 60 * np.sin(x / 40.0) * np.cos(y / 55.0)
    trace = smooth + 6 * (x % 8 == 0)
    image = Image.fromarray(np.repeat(trace[..., None], 3, axis=2).clip(0, 255).astype(np.uint8))
    dct, fft = spectra.spectra(image).astype(np.float32)
    # DCT-II of a 64-sample block: frequency 1/8 is coefficient 16 along the columns' axis.
    assert dct[1][0, 16] > dct[1][0, 14] + 1.0
    # Centred FFT of 64 samples: 1/8 is 8 bins from the centre (32).
    assert fft[1][32, 40] > fft[1][32, 37] + 1.0


def test_svm_features_have_the_documented_width() -> None:
    images = [_noise((300, 260), seed=s) for s in range(3)]
    crops = np.stack([np.asarray(im.crop((0, 0, 128, 128))) for im in images])
    block_spectra = np.stack([spectra.spectra(im) for im in images])
    values = features(crops, block_spectra)
    assert values.shape == (3, N_FEATURES) and np.isfinite(values).all()
    with pytest.raises(ValueError, match="3 crops but 2 spectra"):
        features(crops, block_spectra[:2])


def _real_crops(shared_data: Path, count: int = 24) -> np.ndarray:
    """Canonical crops of real WikiArt paintings, one every few hundred across the styles."""
    from ml.detectors import preprocess
    from ml.detectors.views import views

    paths = sorted((shared_data / "wikiart").glob("*/*.jpg"))
    chosen = paths[:: max(1, len(paths) // count)][:count]
    return views([preprocess.load(p) for p in chosen], ("dct",))[0]


def test_colour_statistics_equal_float64_means_and_spreads(shared_data: Path) -> None:
    """The integer-plane colour statistics are exact: numpy's float64 mean and std of each
    channel, of brightness and of saturation, on real crops and on flat ones."""
    from ml.detectors.dct_features import colour_features

    crops = np.concatenate(
        [_real_crops(shared_data), np.full((2, 128, 128, 3), (250, 251, 249), np.uint8)]
    )
    pixels = crops.reshape(len(crops), -1, 3).astype(np.float64) / 255.0
    value = pixels.mean(axis=2)
    high, low = pixels.max(axis=2), pixels.min(axis=2)
    saturation = (high - low) / (high + 1e-3)
    expected = np.column_stack(
        [
            value.mean(axis=1),
            value.std(axis=1),
            saturation.mean(axis=1),
            saturation.std(axis=1),
            pixels.mean(axis=1),
            pixels.std(axis=1),
        ]
    )
    assert np.abs(colour_features(crops) - expected).max() < 1e-6
    assert colour_features(crops)[-1, 7:].tolist() == [0.0, 0.0, 0.0]  # flat: no spread


def test_the_laplacian_residual_reflects_at_the_edges() -> None:
    tiles = np.random.default_rng(3).random((5, BLOCK, BLOCK), dtype=np.float32)
    padded = np.pad(tiles, ((0, 0), (1, 1), (1, 1)), mode="reflect")
    neighbours = (
        padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]
    )
    assert np.array_equal(spectra.laplacian_residual(tiles), tiles - 0.25 * neighbours)


def test_the_dct_residual_channel_is_the_transform_of_the_mirrored_residual() -> None:
    """One DCT gives both channels: the residual channel equals the DCT of each pixel minus
    its four neighbours' mean with the edges mirrored (the pixel past an edge is the edge
    pixel), transformed on its own, to float32 rounding."""
    from scipy.fft import dctn

    tiles = np.random.default_rng(4).random((6, BLOCK, BLOCK), dtype=np.float32)
    padded = np.pad(tiles, ((0, 0), (1, 1), (1, 1)), mode="symmetric")
    neighbours = (
        padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]
    )
    residual = tiles - 0.25 * neighbours
    floor = spectra.FLOOR["dct"]
    expected = np.log(np.abs(dctn(residual, axes=(1, 2), norm="ortho")) + floor).mean(axis=0)
    luma, residual_channel = spectra.block_spectra(tiles, "dct")
    assert np.abs(residual_channel - expected).max() < 1e-5
    plain = np.log(np.abs(dctn(tiles, axes=(1, 2), norm="ortho")) + floor).mean(axis=0)
    assert np.abs(luma - plain).max() < 1e-5


@pytest.mark.parametrize("kind", spectra.KINDS)
def test_a_batch_of_blocks_gives_each_image_its_own_spectra(kind: str) -> None:
    tiles = np.random.default_rng(5).random((3, 16, BLOCK, BLOCK), dtype=np.float32)
    batch = spectra.block_spectra(tiles, kind)
    assert batch.shape == (3, spectra.CHANNELS, BLOCK, BLOCK)
    for i in range(3):
        assert np.allclose(batch[i], spectra.block_spectra(tiles[i], kind), atol=1e-6)


def test_the_whole_image_bands_are_the_mean_of_each_anti_diagonal() -> None:
    """band_features gathers each kept band u + v = k and averages it: the same as taking
    the band's coefficients one by one."""
    from scipy.fft import dctn

    from ml.detectors.dct_features import BAND_FLOOR, KEPT_BANDS, band_features, luma

    crops = np.random.default_rng(6).integers(0, 256, (2, 128, 128, 3), dtype=np.uint8)
    logs = np.log(np.abs(dctn(luma(crops) / 255.0, axes=(1, 2), norm="ortho")) + BAND_FLOOR)
    u, v = np.indices((128, 128))
    expected = np.stack([[image[u + v == k].mean() for k in KEPT_BANDS] for image in logs])
    assert np.abs(band_features(crops) - expected).max() < 1e-5


def test_a_batch_split_over_threads_gives_what_one_call_gives() -> None:
    """spectral_parts runs chunks of a batch side by side; the parts are those of the images
    taken one by one, in order (the svm bands to float32 rounding: a matrix product's sums
    are blocked by batch size)."""
    from ml.detectors.data import spectral_parts

    images = [_noise((200 + 37 * s, 260), seed=s) for s in range(19)]
    batch = spectral_parts(images, {"svm", "crops", "fft"})
    alone = [spectral_parts([image], {"svm", "crops", "fft"}) for image in images]
    for name, values in batch.items():
        one_by_one = np.concatenate([a[name] for a in alone])
        if name == "svm":
            assert np.allclose(values, one_by_one, rtol=1e-6, atol=1e-6)
        else:
            assert np.array_equal(values, one_by_one), name


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P", "CMYK"])
@pytest.mark.parametrize("size", [(512, 512), (843, 1068), (224, 224), (300, 1), (1, 1)])
def test_every_input_becomes_one_canonical_square(mode: str, size: tuple[int, int]) -> None:
    from ml.detectors.containers import CANONICAL, canonical

    square = canonical(_noise(size).convert(mode))
    assert square.shape == (CANONICAL, CANONICAL, 3) and square.dtype == np.uint8


def test_the_canonical_square_averages_whole_blocks_of_pixels() -> None:
    """A 512 px tile is its 2 x 2 means (nothing interpolated); a wide 1024 x 700 picture keeps its
    centre 512 px square of 2 x 2 blocks, then goes bilinear from 350 to 256 px."""
    from ml.detectors.containers import canonical

    image = _noise((512, 512), seed=3)
    pixels = np.asarray(image).astype(np.float64)
    means = pixels.reshape(256, 2, 256, 2, 3).mean(axis=(1, 3))
    assert np.abs(canonical(image).astype(np.float64) - means).max() <= 0.5 + 1e-9
    wide = Image.new("RGB", (1024, 700), (0, 0, 0))
    wide.paste(Image.new("RGB", (1024 - 2 * 162, 700), (255, 255, 255)), (162, 0))
    assert canonical(wide).min() == 255  # the black bands lie outside the centre square
