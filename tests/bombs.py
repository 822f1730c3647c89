"""Small files that cost gigabytes or minutes to decode naively, built in code for the tests.

Every builder returns bytes (a few hundred KiB at most) and makes the file the way an attacker
would: valid headers, highly compressible pixel data, many scans.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    width: int,
    height: int,
    *,
    bit_depth: int,
    colour_type: int,
    palette: bytes = b"",
    transparency: bytes = b"",
    row_byte: int = 0,
) -> bytes:
    """A PNG whose every row is the filter byte 0 then ``row_byte`` repeated (compressed once).

    colour_type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. The pixel data is streamed
    through zlib so building an 8944x8944 16-bit file needs no full-size buffer.
    """
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    row_bytes = (width * channels * bit_depth + 7) // 8
    row = b"\x00" + bytes([row_byte]) * row_bytes
    compressor = zlib.compressobj(9)
    parts = []
    block = row * max(1, (1 << 20) // len(row))
    rows_per_block = len(block) // len(row)
    remaining = height
    while remaining:
        count = min(rows_per_block, remaining)
        parts.append(compressor.compress(block[: count * len(row)]))
        remaining -= count
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
    if palette:
        out += _chunk(b"PLTE", palette)
    if transparency:
        out += _chunk(b"tRNS", transparency)
    return out + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def png_16bit_grey(side: int = 8944) -> bytes:
    return png(side, side, bit_depth=16, colour_type=0, row_byte=0x80)


def png_palette_with_transparency(side: int = 8944) -> bytes:
    palette = bytes([200, 180, 160, 20, 20, 20] + [0] * (3 * 254))
    return png(side, side, bit_depth=8, colour_type=3, palette=palette, transparency=b"\x00\xff")


def png_1bit(side: int = 8944) -> bytes:
    return png(side, side, bit_depth=1, colour_type=0, row_byte=0xAA)


def _segments(data: bytes) -> list[bytes]:
    """A JPEG cut into its marker segments; a scan keeps its entropy-coded data."""
    out, at = [], 2
    while at < len(data):
        assert data[at] == 0xFF, at
        marker = data[at + 1]
        if marker == 0xD9:
            out.append(data[at : at + 2])
            break
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        end = at + 2 + length
        if marker == 0xDA:  # scan: entropy data up to the next marker that is not FF00/RSTn
            while True:
                end = data.index(b"\xff", end)
                following = data[end + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    end += 2
                    continue
                break
        out.append(data[at:end])
        at = end
    return out


def progressive_jpeg(side: int = 8000, scans: int = 2000) -> bytes:
    """A grey progressive JPEG of side x side whose last refinement scan is repeated.

    libjpeg reads a repeated scan as a "bogus progression" warning and decodes it again over
    the whole coefficient buffer: the time grows with scans x pixels while the file grows by
    a few hundred bytes a scan.
    """
    buffer = io.BytesIO()
    Image.new("L", (side, side), 128).save(buffer, "JPEG", progressive=True, quality=75)
    segments = _segments(buffer.getvalue())
    scan_indices = [i for i, s in enumerate(segments) if s[1] == 0xDA]
    if len(scan_indices) >= scans:
        return buffer.getvalue()
    last = segments[scan_indices[-1]]
    extra = [last] * (scans - len(scan_indices))
    return b"\xff\xd8" + b"".join(segments[:-1] + extra) + segments[-1]


def jpeg2000(side: int = 8900) -> bytes:
    """A JPEG 2000 file (JP2 container) of side x side grey: a few hundred bytes that Pillow's
    openjpeg plugin would decode to full size (issue 19: 8.9 s and 1.69 GiB, whatever the
    file's name). Without Pillow's openjpeg, a JP2 signature box and a codestream start."""
    from PIL import features

    if not features.check("jpg_2000"):
        return (
            b"\x00\x00\x00\x0cjP  \r\n\x87\n"
            + b"\x00\x00\x00\x14ftypjp2 \x00\x00\x00\x00jp2 "
            + b"\xff\x4f\xff\x51"
        )
    buffer = io.BytesIO()
    Image.new("L", (side, side), 128).save(buffer, "JPEG2000", num_resolutions=2, tile_size=(side, side))
    return buffer.getvalue()


def lossless_webp(side: int = 8900) -> bytes:
    """A lossless WebP of side x side in one colour: tens of bytes, side² x 12 bytes to decode
    with Pillow (issue 19: 8900x8900 took 3.7 s and 1.45 GiB)."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (120, 130, 140)).save(buffer, "WEBP", lossless=True, method=0)
    return buffer.getvalue()


def _worker_pids() -> list[int]:
    from posture.image import sandbox

    return [worker.process.pid for worker in sandbox._idle]


def _status_mib(pid: int, field: str) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith(field + ":")) / 1024
    except (OSError, StopIteration):
        return None


def reset_worker_peaks() -> dict[int, float]:
    """Start the idle decoding workers' high-water marks afresh (Linux; ignored where not
    allowed) and return each one's resident memory now (MiB), to pass to
    :func:`worker_growth_mib`."""
    resident = {}
    for pid in _worker_pids():
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            continue
        resident[pid] = _status_mib(pid, "VmRSS") or 0.0
    return resident


def worker_growth_mib(before: dict[int, float]) -> float:
    """Peak memory the idle decoding workers added since :func:`reset_worker_peaks` (MiB): a
    worker that was already there counts above its resident memory then, a new one whole (its
    start-up is part of what the call cost)."""
    total = 0.0
    for pid in _worker_pids():
        peak = _status_mib(pid, "VmHWM")
        if peak is not None:
            total += max(0.0, peak - before.get(pid, 0.0))
    return total
