"""Which of the accepted formats a file is, decided from its bytes, and its size from its header.

Accepted: JPEG, PNG, WebP and HEIC/HEIF, the formats the README names; nothing else reaches a
decoder, whatever the file is called. ``sniff(data)`` names the format from the magic bytes;
``header_size(data, fmt)`` reads (width, height) from the header without decoding a pixel
(PNG ``IHDR``, JPEG ``SOFn``, WebP ``VP8 ``/``VP8L``/``VP8X``, HEIF ``ispe``). A few common
formats that are not accepted (JPEG 2000, TIFF, GIF, BMP, AVIF) are recognised only to say
what the file really is.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """An accepted format: its name for users, Pillow's plugin id, its pixel limit."""

    name: str
    pillow: str
    max_pixels: int


JPEG = Format("JPEG", "JPEG", 80_000_000)
PNG = Format("PNG", "PNG", 80_000_000)
WEBP = Format("WebP", "WEBP", 40_000_000)
"""Pillow decodes WebP through libwebp's animation decoder: about 12 bytes a pixel at once
(two RGBA canvases and Pillow's copy), so WebP gets half the limit of the others."""
HEIF = Format("HEIC", "HEIF", 80_000_000)
ACCEPTED = (JPEG, PNG, WEBP, HEIF)
ACCEPTED_NAMES = "JPEG, PNG, WebP or HEIC"

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_OTHERS = (
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"%PDF", "PDF"),
)


class FormatError(ValueError):
    """Not an accepted format (``damaged`` False: the message says what the file is), or an
    accepted one whose header cannot be read (``damaged`` True)."""

    def __init__(self, message: str, *, damaged: bool = False):
        super().__init__(message)
        self.damaged = damaged


def sniff(data: bytes) -> Format:
    """The accepted format ``data`` is in, from its first bytes; ``FormatError`` otherwise."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and _heif_brand(data):
        return HEIF
    raise FormatError(describe(data))


def describe(data: bytes) -> str:
    """What an unaccepted file is, as far as its bytes say ("a JPEG 2000 image", ...)."""
    for magic, name in _OTHERS:
        if data.startswith(magic):
            return f"a {name} file"
    if data[4:8] == b"ftyp":
        brand = data[8:12].decode("ascii", "replace").strip()
        return "an AVIF image" if brand.startswith("avi") else f"an ISO media file ({brand!r})"
    return "not an image in a format we read"


def _heif_brand(data: bytes) -> bool:
    size = struct.unpack(">I", data[:4])[0]
    if size < 16 or size > len(data):
        return False
    major = data[8:12]
    compatible = {data[at : at + 4] for at in range(16, size - 3, 4)}
    return major in _HEIF_BRANDS or (major in (b"mif1", b"msf1") and bool(compatible & _HEIF_BRANDS))


def header_size(data: bytes, fmt: Format) -> tuple[int, int]:
    """(width, height) in pixels as the header of ``data`` (in ``fmt``) states it.

    No pixel is decoded. For HEIF the largest ``ispe`` (image spatial extent) of the file is
    taken, which bounds the primary image, its grid and any thumbnail. ``FormatError`` when
    the header is missing or damaged.
    """
    reader = {JPEG: _jpeg_size, PNG: _png_size, WEBP: _webp_size, HEIF: _heif_size}[fmt]
    try:
        size = reader(data)
    except (struct.error, IndexError):
        size = None
    if size is None or not size[0] or not size[1]:
        raise FormatError(f"{fmt.name} without a readable header", damaged=True)
    return size


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        return None
    return struct.unpack(">II", data[16:24])


_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def jpeg_frame(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first JPEG frame header before the first scan, or None."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if marker == 0xDA:
            return None
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return None


_jpeg_size = jpeg_frame


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


_HEIF_CONTAINERS = {b"meta": 4, b"iprp": 0, b"ipco": 0}
"""Boxes walked to reach ``ispe``, with the bytes of version and flags before their children."""


def _heif_size(data: bytes) -> tuple[int, int] | None:
    sizes = list(_ispe_boxes(data, 0, len(data), depth=0))
    return max(sizes, key=lambda size: size[0] * size[1]) if sizes else None


def _ispe_boxes(data: bytes, start: int, end: int, *, depth: int):
    at = start
    while at + 8 <= end and depth < 4:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            return
        if kind == b"ispe":
            yield struct.unpack(">II", data[at + header + 4 : at + header + 12])
        elif kind in _HEIF_CONTAINERS:
            yield from _ispe_boxes(data, at + header + _HEIF_CONTAINERS[kind], at + size, depth=depth + 1)
        at += size
