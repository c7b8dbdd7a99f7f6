"""PNG written and read with numpy + zlib: the fast path of pvserver.rendering.imaging.

Written at zlib level 1 with no row filter (faster than vtkPNGWriter, for about the same size), large images deflated
in slices on a few threads and joined into one stream, as ``pigz`` does; RGB or RGBA, with optional text chunks.
Read: every PNG's structure is checked (libpng behind VTK may crash on a truncated file), and plain ones (8-bit
RGB/RGBA, rows all with the same None/Sub/Up filter) are unfiltered with numpy.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["PNG_MAGIC", "decode_png_alpha", "decode_png_fast", "encode_png", "read_png"]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# zlib level 1 is several times faster than the default 6 for ~1.5x the bytes. Rows are not
# filtered: measured on a 1920x1080 render, the Up filter cost ~25 % more time for <10 % fewer bytes.
_PNG_LEVEL = 1
_SLICE_BYTES = 1 << 19  # deflate in parallel only slices of at least this many bytes
_ADLER_BASE = 65521

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


# --------------------------------------------------------------------------------------------------
# PNG, written with numpy + zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """Adler-32 of A + B from those of A and B (zlib's adler32_combine, which Python lacks)."""
    rem = len2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="png")
        return _pool


def _deflate_slice(data: memoryview, last: bool) -> tuple[bytes, int]:
    """Raw deflate of one slice (ending on a byte boundary unless `last`) and its Adler-32."""
    compressor = zlib.compressobj(_PNG_LEVEL, zlib.DEFLATED, -15)
    out = compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
    return out, zlib.adler32(data)


def _zlib_stream(raw: np.ndarray) -> bytes:
    """A zlib stream of `raw`, deflated in slices on several threads when it is large.

    Slices are compressed independently (no match crosses a boundary), each but the last closed
    with a sync flush so that they concatenate into one valid deflate stream.
    """
    data = memoryview(raw.reshape(-1))
    workers = min(4, os.cpu_count() or 1)
    slices = max(1, min(workers, len(data) // _SLICE_BYTES))
    if slices == 1:
        return zlib.compress(data, _PNG_LEVEL)
    bounds = [len(data) * i // slices for i in range(slices + 1)]
    parts = list(
        _thread_pool().map(lambda i: _deflate_slice(data[bounds[i] : bounds[i + 1]], i == slices - 1), range(slices))
    )
    adler = 1
    for (_, part_adler), start, end in zip(parts, bounds[:-1], bounds[1:], strict=True):
        adler = _adler32_combine(adler, part_adler, end - start)
    # 0x78 0x01: deflate, 32 KiB window, fastest level; the check bits make it a multiple of 31
    return b"\x78\x01" + b"".join(p for p, _ in parts) + struct.pack(">I", adler)


def _encode_png(pixels: np.ndarray, level: int | None = None, text: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A PNG of an (H, W, 3) RGB or (H, W, 4) RGBA picture; ``level``: a zlib level (None: the fast default);
    ``text``: (keyword, value) pairs written as tEXt chunks."""
    height, width, channels = pixels.shape
    raw = np.empty((height, width * channels + 1), np.uint8)
    raw[:, 0] = 0  # every row starts with its filter type: None
    raw[:, 1:] = pixels.reshape(height, width * channels)
    colour_type = 2 if channels == 3 else 6
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)  # 8-bit RGB(A), not interlaced
    stream = _zlib_stream(raw) if level is None else zlib.compress(raw.tobytes(), level)
    notes = b"".join(
        _png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")) for key, value in text
    )
    return PNG_MAGIC + _png_chunk(b"IHDR", header) + notes + _png_chunk(b"IDAT", stream) + _png_chunk(b"IEND", b"")


def encode_png(pixels: np.ndarray, level: int | None = None, text: Sequence[tuple[str, str]] = ()) -> bytes:
    """Encode an (H, W, 3) RGB or (H, W, 4) RGBA uint8 picture (row 0 at the top) as PNG bytes.

    ``level`` is the zlib compression level 0..9 (ParaView's CompressionLevel); None: level 1, deflated in slices
    on a few threads. ``text``: (keyword, value) pairs stored as PNG text (ParaView's MetaData): a keyword of 1 to
    79 Latin-1 characters, values of Latin-1 text. ValueError for another shape, type, level or text."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or 0 in pixels.shape:
        raise ValueError(f"expected a non-empty uint8 image of shape (H, W, 3 or 4), got {pixels.dtype} {pixels.shape}")
    if level is not None and not 0 <= int(level) <= 9:
        raise ValueError(f"the PNG compression level must be within 0..9, got {level}")
    for key, value in text:
        if not (1 <= len(key) <= 79 and len(value) <= 65536 and f"{key}{value}".isprintable()):
            raise ValueError(f"PNG text needs a keyword of 1..79 printable characters and a printable value: {key!r}")
        try:
            f"{key}{value}".encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(f"PNG text must be Latin-1: {key!r}: {value!r}") from None
    return _encode_png(np.ascontiguousarray(pixels), None if level is None else int(level), tuple(text))


def decode_png_alpha(data: bytes) -> np.ndarray:
    """The (H, W) alpha channel of PNG bytes as written by :func:`encode_png` (255 everywhere for an RGB one)."""
    header, raw = read_png(bytes(data))
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"only 8-bit RGB or RGBA PNGs that are not interlaced have an alpha read here; got {header}")
    channels = 3 if colour == 2 else 4
    rows = np.frombuffer(raw, np.uint8).reshape(height, width * channels + 1)
    if np.any(rows[:, 0]):
        raise ValueError("only unfiltered PNG rows are read here")
    if channels == 3:
        return np.full((height, width), 255, np.uint8)
    return rows[:, 1:].reshape(height, width, 4)[..., 3].copy()


# bits per pixel of each (colour type, bit depth) the PNG standard allows
_PNG_BITS = {
    0: {1: 1, 2: 2, 4: 4, 8: 8, 16: 16},  # grey
    2: {8: 24, 16: 48},  # RGB
    3: {1: 1, 2: 2, 4: 4, 8: 8},  # palette
    4: {8: 16, 16: 32},  # grey + alpha
    6: {8: 32, 16: 64},  # RGBA
}
# Adam7 passes: (first row, first column, row step, column step)
_ADAM7 = ((0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1))


def _png_raw_size(width: int, height: int, bits: int, interlaced: bool) -> int:
    """Bytes of the filtered rows of an image (each row: a filter byte and the packed pixels)."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    size = 0
    for row0, col0, drow, dcol in passes:
        rows = (height - row0 + drow - 1) // drow if height > row0 else 0
        cols = (width - col0 + dcol - 1) // dcol if width > col0 else 0
        if rows and cols:
            size += rows * (1 + (cols * bits + 7) // 8)
    return size


def read_png(data: bytes) -> tuple[tuple[int, ...], bytes]:
    """Check a PNG's structure and return its header fields and decompressed rows.

    libpng behind VTK may crash on a truncated file, so every PNG is checked here first: whole
    chunks with good CRCs, a valid header, an IEND, and a zlib stream (Adler-32 checked) of the
    size the header implies.
    """
    pos, header, idat, ended = len(PNG_MAGIC), None, [], False
    while pos < len(data) and not ended:
        if pos + 12 > len(data):
            raise ValueError("corrupt PNG data: truncated chunk")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise ValueError(f"corrupt PNG data: truncated {kind!r} chunk")
        body = data[pos + 8 : end]
        if struct.unpack(">I", data[end : end + 4])[0] != zlib.crc32(kind + body):
            raise ValueError(f"corrupt PNG data: bad CRC in {kind!r} chunk")
        if header is None and kind != b"IHDR":
            raise ValueError("corrupt PNG data: IHDR is not the first chunk")
        if kind == b"IHDR":
            if len(body) != 13:
                raise ValueError("corrupt PNG data: bad IHDR")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        ended = kind == b"IEND"
        pos = end + 4
    if header is None or not ended:
        raise ValueError("corrupt PNG data: missing IHDR or IEND (truncated?)")
    width, height, depth, colour, compression, filtering, interlace = header
    bits = _PNG_BITS.get(colour, {}).get(depth)
    if not width or not height or bits is None or compression or filtering or interlace > 1:
        raise ValueError(f"unsupported PNG header {header}")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as exc:
        raise ValueError(f"corrupt PNG data: {exc}") from None
    if len(raw) != _png_raw_size(width, height, bits, bool(interlace)):
        raise ValueError("corrupt PNG data: image data does not match the header")
    return header, raw


def decode_png_fast(header: tuple[int, ...], raw: bytes) -> np.ndarray | None:
    """Unfilter a plain PNG with numpy; None when it needs libpng.

    Handles 8-bit RGB/RGBA, not interlaced, every row with the same None, Sub or Up filter (which
    undo as cumulative sums); Average/Paeth filters are inherently sequential and go to libpng.
    """
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        return None
    channels = 3 if colour == 2 else 4
    rows = np.frombuffer(raw, np.uint8).reshape(height, width * channels + 1)
    kinds = np.unique(rows[:, 0])
    if kinds.size != 1 or kinds[0] > 2:
        return None
    pixels = rows[:, 1:].reshape(height, width, channels)
    if kinds[0] == 1:  # Sub: each byte adds the same channel of the pixel to its left
        pixels = np.cumsum(pixels, axis=1, dtype=np.uint8)
    elif kinds[0] == 2:  # Up: each byte adds the byte above
        pixels = np.cumsum(pixels, axis=0, dtype=np.uint8)
    return np.ascontiguousarray(pixels[..., :3])
