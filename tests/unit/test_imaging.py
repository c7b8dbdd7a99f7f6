"""Image encoding: PNG bit-exact, JPEG close, orientation, file writing errors."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from pvserver.rendering import imaging
from pvserver.rendering.imaging import WRITABLE_EXTENSIONS, decode_image, encode_image, write_image_file

pytestmark = pytest.mark.timeout(60)


def noise(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (*shape, 3), dtype=np.uint8)


def render_like(shape: tuple[int, int]) -> np.ndarray:
    """Smooth shading on a gradient background, like a rendered frame (what JPEG is meant for)."""
    h, w = shape
    y, x = np.mgrid[:h, :w].astype(np.float32)
    image = np.empty((h, w, 3), np.float32)
    image[...] = (40 + 60 * y / h)[..., None]
    d2 = ((y - h / 2) ** 2 + (x - w / 2) ** 2) / (0.3 * min(h, w)) ** 2
    shade = np.sqrt(np.clip(1 - d2, 0, 1))
    inside = d2 < 1
    image[inside] = (np.array([230.0, 120.0, 60.0]) * (0.3 + 0.7 * shade[inside, None])).astype(np.float32)
    return image.astype(np.uint8)


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    """The chunks of a PNG (IDATs joined), parsed independently of the code under test."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    return chunks


def handmade_png(pixels: np.ndarray, colour_type: int) -> bytes:
    """A PNG written by the test itself, with the Paeth filter (4) on every row of zeros-diff data."""
    h, w = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    raw = np.zeros((h, w * channels + 1), np.uint8)
    raw[:, 1:] = pixels.reshape(h, -1)  # filter 0 bytes: valid, decoded by libpng

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes()))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------------------
# PNG


@pytest.mark.parametrize("shape", [(1, 1), (37, 53), (53, 37), (2, 1000), (480, 640)])
def test_png_round_trip_is_bit_exact(shape):
    for image in (noise(shape), render_like(shape)):
        data = encode_image(image, "png")
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        back = decode_image(data)
        assert back.dtype == np.uint8 and back.shape == image.shape
        np.testing.assert_array_equal(back, image)


def test_png_is_a_standard_stream_with_row_zero_on_top(monkeypatch):
    """Decoded by zlib alone (Adler-32 checked): also over the multi-threaded slices."""
    monkeypatch.setattr(imaging.os, "cpu_count", lambda: 4)  # force several slices on any machine
    image = noise((700, 900), seed=3)  # 1.9 MB of rows: several slices
    chunks = png_chunks(encode_image(image))
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (width, height, depth, colour, interlace) == (900, 700, 8, 2, 0)
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(700, 900 * 3 + 1)
    assert np.all(rows[:, 0] == 0)  # filter None
    np.testing.assert_array_equal(rows[:, 1:].reshape(700, 900, 3), image)  # first row = top


def test_png_from_elsewhere_goes_through_libpng():
    """Grey and RGBA PNGs (not written here) decode through VTK, the right way up."""
    grey = np.random.default_rng(5).integers(0, 256, (9, 13), dtype=np.uint8)
    np.testing.assert_array_equal(decode_image(handmade_png(grey, 0)), np.repeat(grey[..., None], 3, axis=2))
    rgba = np.random.default_rng(6).integers(0, 256, (9, 13, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decode_image(handmade_png(rgba, 6)), rgba[..., :3])


def test_png_accepts_strided_input():
    rgba = noise((20, 30), seed=8).repeat(2, axis=2)[..., :4]  # a non-contiguous view below
    view = rgba[::-1, :, :3]
    np.testing.assert_array_equal(decode_image(encode_image(view)), view)


# --------------------------------------------------------------------------------------------------
# JPEG


def test_jpeg_round_trip_is_close():
    image = render_like((120, 160))
    data = encode_image(image, "jpeg", quality=90)
    assert data.startswith(b"\xff\xd8\xff")
    back = decode_image(data)
    assert back.shape == image.shape and back.dtype == np.uint8
    assert np.abs(back.astype(np.int16) - image).mean() < 3.0


def test_jpeg_keeps_row_zero_on_top():
    image = np.zeros((64, 48, 3), np.uint8)
    image[:16] = 255  # a white band at the top
    back = decode_image(encode_image(image, "jpeg", 95))
    assert back[:12].mean() > 240
    assert back[24:].mean() < 15


def test_jpeg_quality_trades_size():
    image = render_like((120, 160)) ^ noise((120, 160), seed=2) // 8
    small = encode_image(image, "jpeg", quality=10)
    large = encode_image(image, "jpeg", quality=95)
    assert len(small) < len(large)
    err_small = np.abs(decode_image(small).astype(np.int16) - image).mean()
    err_large = np.abs(decode_image(large).astype(np.int16) - image).mean()
    assert err_large < err_small


# --------------------------------------------------------------------------------------------------
# errors


def test_encode_rejects_bad_arguments():
    image = noise((4, 4))
    with pytest.raises(ValueError, match="format"):
        encode_image(image, "gif")
    with pytest.raises(ValueError, match="quality"):
        encode_image(image, "jpeg", quality=101)
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        encode_image(image.astype(np.float32))
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        encode_image(np.zeros((4, 4, 4), np.uint8))
    with pytest.raises(ValueError, match="empty"):
        encode_image(np.zeros((0, 4, 3), np.uint8))


def test_decode_rejects_garbage():
    with pytest.raises(ValueError, match="not a PNG or JPEG"):
        decode_image(b"GIF89a....")
    png = encode_image(noise((30, 30)))
    for cut in (20, 60, len(png) // 2, len(png) - 1):
        with pytest.raises(ValueError, match="PNG"):
            decode_image(png[:cut])
    corrupt = bytearray(png)
    corrupt[len(png) // 2] ^= 0xFF
    with pytest.raises(ValueError, match="PNG"):
        decode_image(bytes(corrupt))


@pytest.mark.timeout(60, method="thread")  # a hang in C is not interrupted by a signal
def test_decode_rejects_truncated_jpeg():
    jpeg = encode_image(noise((60, 60)), "jpeg")
    for cut in (100, len(jpeg) // 3):
        with pytest.raises(ValueError, match="JPEG"):
            decode_image(jpeg[:cut])


# --------------------------------------------------------------------------------------------------
# files


@pytest.mark.parametrize("name", ["shot.png", "shot.PNG", "shot.jpg", "shot.jpeg"])
def test_write_image_file(tmp_path, name):
    image = render_like((40, 60))
    path = tmp_path / name
    write_image_file(str(path), image)
    back = decode_image(path.read_bytes())
    if name.lower().endswith(".png"):
        np.testing.assert_array_equal(back, image)
    else:
        assert path.read_bytes().startswith(b"\xff\xd8\xff")
        assert np.abs(back.astype(np.int16) - image).mean() < 3.0


@pytest.mark.parametrize("name", ["shot.bmp", "shot.tiff", "shot"])
def test_write_image_file_bad_extension_names_the_allowed_ones(tmp_path, name):
    with pytest.raises(ValueError) as info:
        write_image_file(str(tmp_path / name), noise((4, 4)))
    for ext in WRITABLE_EXTENSIONS:
        assert ext in str(info.value)
    assert not (tmp_path / name).exists()


def test_write_image_file_unwritable_path_names_path_and_reason(tmp_path):
    path = tmp_path / "no-such-folder" / "shot.png"
    with pytest.raises(OSError) as info:
        write_image_file(str(path), noise((4, 4)))
    assert str(path) in str(info.value)
    assert "No such file or directory" in str(info.value)
    # a folder where the file should be
    (tmp_path / "taken.png").mkdir()
    with pytest.raises(OSError, match=r"taken\.png"):
        write_image_file(tmp_path / "taken.png", noise((4, 4)))
