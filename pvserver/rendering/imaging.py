"""Image encoding for delivery to a client: PNG (lossless) or JPEG (lossy, for interactive frames)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8"
WRITABLE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def _encode_png(rgb: np.ndarray, level: int = 1) -> bytes:
    height, width = rgb.shape[:2]
    # Filter type 0 (none) before every row, then zlib: fast and lossless.
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, width * 3)], axis=1)
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        _PNG_MAGIC
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + _chunk(b"IEND", b"")
    )


def _vtk_image(rgb: np.ndarray):
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData

    height, width = rgb.shape[:2]
    image = vtkImageData()
    image.SetDimensions(width, height, 1)
    flipped = np.ascontiguousarray(rgb[::-1]).reshape(-1, 3)  # VTK images are bottom-up
    image.GetPointData().SetScalars(numpy_to_vtk(flipped, deep=True))
    return image


def encode_image(rgb: np.ndarray, fmt: str = "png", quality: int = 80) -> bytes:
    """Encode an (H, W, 3) uint8 image whose row 0 is the top of the picture."""
    if fmt == "png":
        return _encode_png(np.ascontiguousarray(rgb, dtype=np.uint8))
    if fmt == "jpeg":
        from vtkmodules.vtkIOImage import vtkJPEGWriter

        writer = vtkJPEGWriter()
        writer.SetInputData(_vtk_image(rgb))
        writer.SetQuality(int(quality))
        writer.WriteToMemoryOn()
        writer.Write()
        return bytes(memoryview(writer.GetResult()))
    raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'jpeg'.")


def decode_image(data: bytes) -> np.ndarray:
    """Decode PNG or JPEG bytes (detected from the magic bytes) into an (H, W, 3) uint8 image, top row first."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkIOImage import vtkJPEGReader, vtkPNGReader

    if data.startswith(_PNG_MAGIC):
        reader = vtkPNGReader()
    elif data.startswith(_JPEG_MAGIC):
        reader = vtkJPEGReader()
    else:
        raise ValueError("Not a PNG or JPEG image.")
    reader.SetMemoryBuffer(data)
    reader.SetMemoryBufferLength(len(data))
    reader.Update()
    out = reader.GetOutput()
    width, height, _ = out.GetDimensions()
    pixels = vtk_to_numpy(out.GetPointData().GetScalars()).reshape(height, width, -1)[..., :3]
    return np.ascontiguousarray(pixels[::-1])


def write_image_file(path: str | Path, rgb: np.ndarray, quality: int = 95) -> None:
    """Write a .png or .jpg/.jpeg file; ValueError for another extension, OSError naming the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE_EXTENSIONS:
        raise ValueError(f"Cannot write {path.name!r}: use one of {', '.join(WRITABLE_EXTENSIONS)}.")
    data = encode_image(rgb, "png" if suffix == ".png" else "jpeg", quality)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OSError(f"Cannot write image {str(path)!r}: {exc.strerror}.") from None
