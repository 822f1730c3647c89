"""A face-free silhouette of the person: the segmentation mask as a small grayscale PNG.

Kept for every saved session (also when the client has not agreed to store photos): it shows
the body's outline over time without a face, skin, clothes or background. The whole frame is
kept (downscaled), so the silhouette lines up with the stored landmarks after scaling by
``image_size / silhouette size``. Encoded with the standard library (zlib) only.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

LONG_SIDE = 320
"""Long side of the stored silhouette, pixels."""
PERSON, BACKGROUND = 70, 255
"""Gray levels of the person and of everything else."""


def from_mask(mask: np.ndarray, *, long_side: int = LONG_SIDE) -> np.ndarray:
    """(h, w) uint8 silhouette of a float mask (H, W) in 0..1: person where mask > 0.5.

    Shrunk by nearest sampling so its long side is at most ``long_side``; never enlarged.
    """
    if mask.ndim != 2:
        raise ValueError(f"mask must be (H, W), got shape {mask.shape}")
    height, width = mask.shape
    factor = min(1.0, long_side / max(height, width))
    rows = np.minimum((np.arange(max(1, round(height * factor))) + 0.5) / factor, height - 1)
    cols = np.minimum((np.arange(max(1, round(width * factor))) + 0.5) / factor, width - 1)
    person = mask[rows.astype(int)][:, cols.astype(int)] > 0.5
    return np.where(person, PERSON, BACKGROUND).astype(np.uint8)


def png(gray: np.ndarray) -> bytes:
    """PNG bytes of an (h, w) uint8 grayscale image."""
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError("png needs an (h, w) uint8 array")
    height, width = gray.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + row.tobytes() for row in gray)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def silhouette_png(mask: np.ndarray | None) -> bytes | None:
    """The stored form of a mask (None when the analysis had no mask)."""
    return None if mask is None else png(from_mask(mask))


def read_png(data: bytes) -> np.ndarray:
    """Decode a PNG written by ``png`` (8-bit grayscale, filter 0 on every row) to (h, w) uint8."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, width, height, idat = 8, 0, 0, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if (depth, colour) != (8, 0):
                raise ValueError("only 8-bit grayscale silhouettes are read here")
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, width + 1)
    if rows[:, 0].any():
        raise ValueError("only unfiltered rows are read here")
    return rows[:, 1:].copy()


def to_mask(data: bytes, image_size: tuple[int, int]) -> np.ndarray:
    """A float mask (H, W) in 0..1 at the analysed image's ``(width, height)`` from a stored
    silhouette (nearest upsampling: the outline is as coarse as the stored silhouette)."""
    gray = read_png(data)
    width, height = image_size
    rows = np.minimum((np.arange(height) + 0.5) * gray.shape[0] / height, gray.shape[0] - 1)
    cols = np.minimum((np.arange(width) + 0.5) * gray.shape[1] / width, gray.shape[1] - 1)
    return (gray[rows.astype(int)][:, cols.astype(int)] < 128).astype(np.float32)
