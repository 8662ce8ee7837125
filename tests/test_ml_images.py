"""ml.images: every bad or unusual image gets a one-line error naming the file, or comes back
as 8-bit RGB."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graphkit.errors import ImageError
from ml.images import open_image, open_images


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims WIDTHxHEIGHT: enough to test the refusal before decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def real_jpeg(shared_data: Path) -> Path:
    return sorted((shared_data / "aic_paintings" / "images").glob("*.jpg"))[0]


@pytest.mark.parametrize(
    ("mode", "value"),
    [
        ("L", 128),
        ("CMYK", (0, 255, 255, 0)),
        ("P", 3),
        ("I;16", 40000),
        ("RGBA", (255, 0, 0, 128)),
        ("LA", (10, 0)),
        ("1", 1),
    ],
)
def test_every_mode_opens_as_8bit_rgb(tmp_path: Path, mode: str, value: object) -> None:
    path = tmp_path / f"{mode.replace(';', '_')}.{'tif' if mode == 'CMYK' else 'png'}"
    Image.new(mode, (12, 9), value).save(path)
    image = open_image(path)
    assert image.mode == "RGB"
    assert image.size == (12, 9)
    pixels = np.asarray(image)
    assert pixels.dtype == np.uint8
    if mode == "I;16":  # 40000 / 65535 of full scale, not clipped to white
        assert 150 < pixels[0, 0, 0] < 160
    if mode == "RGBA":  # half-transparent red over white
        assert tuple(pixels[0, 0]) == (255, 127, 127) or tuple(pixels[0, 0]) == (255, 128, 128)
    if mode == "CMYK":  # cyan-free magenta + yellow = red
        assert tuple(pixels[0, 0]) == (255, 0, 0)


def test_one_by_one_opens(tmp_path: Path) -> None:
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), (1, 2, 3)).save(path)
    assert open_image(path).getpixel((0, 0)) == (1, 2, 3)


def test_real_jpeg_opens(real_jpeg: Path) -> None:
    assert open_image(real_jpeg).mode == "RGB"


def test_huge_image_refused_from_its_header(tmp_path: Path) -> None:
    path = png_header_only(tmp_path / "huge.png", 20000, 20000)
    with pytest.raises(ImageError, match=r"huge\.png: .*too many pixels; refused before decoding"):
        open_image(path)
    small_limit = png_header_only(tmp_path / "wide.png", 3000, 2000)
    with pytest.raises(ImageError, match=r"wide\.png: 3000x2000 is too many pixels"):
        open_image(small_limit, max_pixels=5_000_000)


def test_bad_files_name_the_file(tmp_path: Path, real_jpeg: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.jpg"
    text.write_text("not an image at all\n")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(real_jpeg.read_bytes()[:2000])
    corrupt = tmp_path / "corrupt.jpg"
    data = bytearray(real_jpeg.read_bytes())
    data[200:4000] = b"\x00" * 3800  # inside the tables and the scan
    corrupt.write_bytes(bytes(data))
    cases = {
        tmp_path / "missing.jpg": "no such image file",
        empty: "empty file",
        text: "not an image file",
        truncated: "corrupt or truncated",
    }
    for path, reason in cases.items():
        with pytest.raises(ImageError) as caught:
            open_image(path)
        message = str(caught.value)
        assert message.startswith(str(path)), message
        assert reason in message
        assert "\n" not in message
    # A damaged JPEG either fails with a named error or decodes to the right size; never a
    # crash of another type.
    try:
        assert open_image(corrupt).size == Image.open(real_jpeg).size
    except ImageError as exc:
        assert str(corrupt) in str(exc)


def test_batch_skips_and_lists_bad_files(tmp_path: Path, real_jpeg: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnope")
    loaded, skipped = open_images([real_jpeg, bad, tmp_path / "gone.png"])
    assert [p for p, _ in loaded] == [real_jpeg]
    assert [p for p, _ in skipped] == [bad, tmp_path / "gone.png"]
    assert all(str(p) in reason for p, reason in skipped)
