"""Image encoding for delivery to a client: PNG (lossless) or JPEG (lossy, for interactive frames).

Images are numpy arrays of shape (H, W, 3), uint8, row 0 at the TOP of the picture (VTK images are
bottom-up; the VTK paths here flip).

* PNG is written with numpy + zlib at compression level 1 and no row filter (pvserver.rendering.png): faster
  than ``vtkPNGWriter`` (which runs libpng's adaptive filters; about 2-3x slower at the same level on a
  1920x1080 render) for about the same size. Large images are deflated in slices on a few threads
  (zlib releases the GIL) and the slices joined into one stream, as ``pigz`` does.
* JPEG goes through ``vtkJPEGWriter`` writing to memory.
* Decoding detects the format from the magic bytes. PNGs as written here (8-bit RGB/RGBA, rows all
  with the same None/Sub/Up filter) decode with zlib + numpy; any other PNG, and JPEG, through
  ``vtkPNGReader`` / ``vtkJPEGReader`` reading from memory.

Only numpy, VTK and the standard library are used.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from pvserver.rendering.png import PNG_MAGIC, decode_png_alpha, decode_png_fast, encode_png, read_png

__all__ = [
    "FORMATS",
    "WRITABLE_EXTENSIONS",
    "decode_image",
    "decode_png_alpha",
    "encode_image",
    "encode_png",
    "write_image_file",
]

#: Formats accepted by :func:`encode_image`.
FORMATS = ("png", "jpeg")
#: File extensions accepted by :func:`write_image_file`.
WRITABLE_EXTENSIONS = (".png", ".jpg", ".jpeg")

_JPEG_MAGIC = b"\xff\xd8\xff"

# --------------------------------------------------------------------------------------------------
# VTK paths


def _vtk_image(rgb: np.ndarray):  # -> vtkImageData
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData

    height, width = rgb.shape[:2]
    image = vtkImageData()
    image.SetDimensions(width, height, 1)
    bottom_up = np.ascontiguousarray(rgb[::-1]).reshape(-1, 3)  # VTK's row 0 is the bottom
    image.GetPointData().SetScalars(numpy_to_vtk(bottom_up, deep=True))
    return image


def _encode_jpeg(rgb: np.ndarray, quality: int) -> bytes:
    from vtkmodules.vtkIOImage import vtkJPEGWriter

    writer = vtkJPEGWriter()
    writer.SetInputData(_vtk_image(rgb))
    writer.SetQuality(quality)
    writer.ProgressiveOff()
    writer.WriteToMemoryOn()
    writer.Write()
    return bytes(memoryview(writer.GetResult()))


def _decode_vtk(data: bytes, kind: str) -> np.ndarray:
    """Decode with vtkPNGReader / vtkJPEGReader reading from memory."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkIOCore import vtkMemoryResourceStream
    from vtkmodules.vtkIOImage import vtkJPEGReader, vtkPNGReader

    if kind == "jpeg":
        # vtkJPEGReader loops forever on a truncated stream from memory; an extra end-of-image
        # marker ends it (libjpeg's own file reader does the same), and is ignored after a real one
        data += b"\xff\xd9"
    stream = vtkMemoryResourceStream()
    stream.SetBuffer(data, len(data), False)  # `data` outlives the reader: no copy
    reader = vtkPNGReader() if kind == "png" else vtkJPEGReader()
    errors: list[str] = []
    reader.AddObserver("ErrorEvent", lambda _obj, event: errors.append(event))
    reader.SetStream(stream)
    reader.Update()
    output = reader.GetOutput()
    scalars = output.GetPointData().GetScalars()
    width, height, _ = output.GetDimensions()
    if errors or reader.GetErrorCode() or scalars is None or scalars.GetNumberOfTuples() != width * height:
        raise ValueError(f"corrupt or unsupported {kind.upper()} data ({len(data)} bytes)")
    pixels = vtk_to_numpy(scalars).reshape(height, width, -1)
    if pixels.dtype == np.uint16:  # 16-bit PNG: keep the high byte
        pixels = (pixels >> 8).astype(np.uint8)
    if pixels.shape[2] <= 2:  # grey (+ alpha): grey to all three channels
        pixels = np.repeat(pixels[..., :1], 3, axis=2)
    return np.ascontiguousarray(pixels[::-1, :, :3])


# --------------------------------------------------------------------------------------------------
# public API


def _check_rgb(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected a uint8 image of shape (H, W, 3), got {rgb.dtype} {rgb.shape}")
    if rgb.shape[0] == 0 or rgb.shape[1] == 0:
        raise ValueError(f"cannot encode an empty image of shape {rgb.shape}")
    return np.ascontiguousarray(rgb)


def encode_image(rgb: np.ndarray, fmt: str = "png", quality: int = 80) -> bytes:
    """Encode an RGB picture as PNG or JPEG bytes.

    Parameters
    ----------
    rgb : numpy.ndarray
        uint8 of shape (H, W, 3); row 0 is the TOP of the picture. Any strides.
    fmt : {"png", "jpeg"}, optional
        "png" is lossless (zlib level 1, fast); "jpeg" is lossy and much smaller ("jpg" is
        accepted too).
    quality : int, optional
        JPEG quality 0..100 (ignored for PNG).

    Returns
    -------
    bytes
        The complete file contents.

    Raises
    ------
    ValueError
        For an unknown format, a quality outside 0..100, or an array that is not a non-empty
        (H, W, 3) uint8 image.
    """
    rgb = _check_rgb(rgb)
    kind = str(fmt).lower()
    if kind == "png":
        return encode_png(rgb)
    if kind in ("jpeg", "jpg"):
        if not 0 <= int(quality) <= 100:
            raise ValueError(f"JPEG quality must be within 0..100, got {quality}")
        return _encode_jpeg(rgb, int(quality))
    raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")


def decode_image(data: bytes) -> np.ndarray:
    """Decode PNG or JPEG bytes, the format detected from the magic bytes.

    Parameters
    ----------
    data : bytes
        A whole PNG or JPEG file (bytes, bytearray or memoryview).

    Returns
    -------
    numpy.ndarray
        uint8 of shape (H, W, 3), row 0 at the top. Alpha is dropped, grey is expanded to RGB,
        16-bit samples are reduced to 8 bits.

    Raises
    ------
    ValueError
        When the data is neither PNG nor JPEG, or is corrupt.
    """
    data = bytes(data)
    if data.startswith(PNG_MAGIC):
        header, raw = read_png(data)
        pixels = decode_png_fast(header, raw)
        return pixels if pixels is not None else _decode_vtk(data, "png")
    if data.startswith(_JPEG_MAGIC):
        return _decode_vtk(data, "jpeg")
    raise ValueError(f"not a PNG or JPEG image (starts with {data[:8]!r})")


def write_image_file(path: str | os.PathLike[str], rgb: np.ndarray, quality: int = 95) -> None:
    """Write a picture to a PNG or JPEG file, the format chosen by the file's extension.

    Parameters
    ----------
    path : str or os.PathLike
        Destination ending in .png, .jpg or .jpeg (any case); its folder must exist.
    rgb : numpy.ndarray
        uint8 of shape (H, W, 3), row 0 at the top.
    quality : int, optional
        JPEG quality 0..100 (ignored for PNG).

    Raises
    ------
    ValueError
        For another extension (the message names the allowed ones) or a bad image.
    OSError
        When the file cannot be written; the message names the path and the reason.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in WRITABLE_EXTENSIONS:
        raise ValueError(
            f"cannot write {str(target)!r}: unsupported extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(WRITABLE_EXTENSIONS)}"
        )
    data = encode_image(rgb, "png" if suffix == ".png" else "jpeg", quality)
    try:
        target.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OSError(exc.errno, f"cannot write image {str(target)!r}: {reason}") from exc
