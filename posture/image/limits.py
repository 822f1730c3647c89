"""Bounds before and around decoding: any path or bytes answered in bounded time and memory.

Three guards, cheapest first:

``read_photo_file(path)``
    Reads a path only when it is a regular file, never more than ``MAX_FILE_BYTES`` + 1 bytes,
    opened without blocking: a folder, a FIFO, ``/dev/zero``, a socket, ``/proc/self/mem`` or a
    file without read permission is answered with a reason, never a hang or a traceback.
``check_header(data)``
    Decides the format from the bytes (JPEG, PNG, WebP or HEIC, nothing else, whatever the
    name; ``posture.image.formats``) and reads its size from its header before any pixel is
    decoded: sizes over the format's limit (80 MP, 40 MP for WebP), impossible PNG bit depths
    and colour types, and JPEGs whose scans x pixels would take minutes (a progressive JPEG
    with thousands of scans) are refused. The decoding that follows runs in a worker bounded
    in memory and time (``posture.image.sandbox``).
``reduce_any_mode(image, factor)``
    Reduces an image whose mode ``Image.reduce`` does not take (16-bit grey, palette with or
    without transparency, 1-bit) strip by strip, converting each strip to RGB first: only the
    decoded picture in its stored mode (at most 2 bytes a pixel for these modes) and one strip
    are in memory, never an RGB, RGBA or float copy at full size.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import numpy as np
from PIL import Image

from posture.image import formats
from posture.types import Reason

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file accepted (50 MiB): bigger than any phone photo."""

MAX_PIXELS = 80_000_000
"""Largest image accepted (80 megapixels); more is refused before decoding."""

MAX_SCAN_PIXELS = 1_500_000_000
"""Largest JPEG scans x pixels decoded. Each scan of a progressive JPEG is a pass over the
whole picture: 8000x8000 with 20 scans took 2.9 s here under load (2 ns a pixel-scan); a
camera's progressive JPEG has 10 scans (12 MP: 0.12 billion). The limit lets 80 MP through
with 18 scans, 12 MP with 125."""

STRIP_ROWS = 256
"""Rows of stored pixels converted at a time by ``reduce_any_mode`` (rounded to the factor)."""


class LimitError(Exception):
    """Refused by a limit: ``reason`` and ``message`` as ``ImageError`` carries them."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
)


def file_too_big_message(size: int) -> str:
    return (
        f"The file is {size / 2**20:.0f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB. "
        "Export the photo at a smaller size and try again."
    )


def too_large_message(width: int | None = None, height: int | None = None) -> str:
    size = f"{width}×{height} pixels " if width else ""
    return (
        f"This image {size}is too large to decode safely (limit "
        f"{MAX_PIXELS // 1_000_000} megapixels). Resize it or send the camera's original photo."
    )


def read_photo_file(source: str | os.PathLike) -> bytes:
    """The bytes of a regular file, or ``LimitError`` saying why not (never blocks or hangs)."""
    text = os.fspath(source)
    if not str(text).strip():
        raise LimitError(Reason.UNREADABLE_IMAGE, "No file name was given. Choose a photo.")
    path = Path(text)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise LimitError(
            Reason.UNREADABLE_IMAGE, f"There is no readable file at {path}. Check the path."
        ) from None
    except OSError as error:
        raise LimitError(
            Reason.UNREADABLE_IMAGE, f"{path} could not be read ({error.strerror}). Check the path."
        ) from None
    for test, kind in _KINDS:
        if test(info.st_mode):
            hint = (
                " Give the photos inside it (posture analyze walks a folder for you)."
                if kind == "a folder"
                else " Give a photo file."
            )
            raise LimitError(Reason.UNREADABLE_IMAGE, f"{path} is {kind}, not a photo.{hint}")
    if info.st_size > MAX_FILE_BYTES:
        raise LimitError(Reason.IMAGE_TOO_LARGE, file_too_big_message(info.st_size))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except PermissionError:
        raise LimitError(
            Reason.UNREADABLE_IMAGE,
            f"You do not have permission to read {path}. Check the file's "
            "permissions or copy the photo somewhere you can read it.",
        ) from None
    except OSError as error:
        raise LimitError(Reason.UNREADABLE_IMAGE, f"{path} could not be opened ({error.strerror}).") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise LimitError(Reason.UNREADABLE_IMAGE, f"{path} is not a regular file.")
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise LimitError(Reason.UNREADABLE_IMAGE, f"{path} could not be read ({error.strerror}).") from None
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:  # a file that grew or lied about its size (/proc)
        raise LimitError(Reason.IMAGE_TOO_LARGE, file_too_big_message(total))
    return b"".join(chunks)


_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
_UNREADABLE = (
    "This file could not be read as an image ({}). Send a JPEG, PNG, WebP or HEIC "
    "photo straight from the camera or phone."
)


def not_accepted_message(what: str) -> str:
    return (
        f"This file is {what}, whatever its name says. Only {formats.ACCEPTED_NAMES} photos "
        "are read: export it as JPEG (or send the camera's original photo) and try again."
    )


def format_too_large_message(fmt: formats.Format, width: int, height: int) -> str:
    limit = fmt.max_pixels // 1_000_000
    return (
        f"This {fmt.name} image is {width}×{height} pixels ({width * height / 1e6:.0f} "
        f"megapixels); the limit for {fmt.name} is {limit} megapixels. Export it smaller than "
        f"{limit} megapixels and try again."
    )


def check_header(data: bytes) -> formats.Format:
    """The accepted format of ``data``, or ``LimitError`` from the header alone.

    The format is decided from the bytes (``posture.image.formats``), never the file name;
    its size is read from its header and refused over the format's pixel limit; a PNG with an
    impossible bit depth or colour type and a JPEG whose scans x pixels would take minutes are
    refused too. No pixel is decoded.
    """
    try:
        fmt = formats.sniff(data)
        width, height = formats.header_size(data, fmt)
    except formats.FormatError as error:
        if error.damaged:
            raise LimitError(Reason.UNREADABLE_IMAGE, _UNREADABLE.format(error)) from None
        raise LimitError(Reason.UNREADABLE_IMAGE, not_accepted_message(str(error))) from None
    if width * height > fmt.max_pixels:
        raise LimitError(Reason.IMAGE_TOO_LARGE, format_too_large_message(fmt, width, height))
    if fmt is formats.PNG:
        _check_png(data)
    elif fmt is formats.JPEG:
        _check_jpeg_scans(data, width, height)
    return fmt


def _check_png(data: bytes) -> None:
    depth, colour, _, _, interlace = struct.unpack(">BBBBB", data[24:29])
    if depth not in _PNG_DEPTHS.get(colour, ()) or interlace > 1:
        raise LimitError(Reason.UNREADABLE_IMAGE, _UNREADABLE.format("damaged PNG header"))


def _check_jpeg_scans(data: bytes, width: int, height: int) -> None:
    # Scan data escapes every 0xFF, so FFDA only starts a scan (or one in an EXIF thumbnail):
    # an upper bound on the scans libjpeg will run over the picture.
    scans = data.count(b"\xff\xda")
    if scans * width * max(height, 1) > MAX_SCAN_PIXELS:
        raise LimitError(
            Reason.IMAGE_TOO_LARGE,
            f"This JPEG ({width}×{height} pixels) is stored in {scans} passes (progressive "
            "scans); decoding it would take minutes. Save it again as a normal JPEG or send "
            "the camera's original photo.",
        )


REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "I", "F"})
"""Modes ``Image.reduce`` supports; the others go through ``reduce_any_mode``."""


def reduce_any_mode(image: Image.Image, factor: int, to_rgb) -> Image.Image:
    """``image`` reduced ``factor`` times by box averaging, as RGB, one strip at a time.

    Palette strips get a palette with transparency already put on white (as ``to_rgb`` does)
    and Pillow's conversion and ``reduce``; 1-bit strips Pillow's grey conversion; 16-bit grey
    strips are scaled to 0-255 and averaged with numpy; other modes go through
    ``to_rgb(strip) -> ndarray``, the decoder's own conversion. Strips are a multiple of ``factor`` rows, so every output pixel averages
    the same box as ``Image.reduce`` would (boxes at the right and bottom edges are partial).
    """
    width, height = image.size
    out = np.empty(((height + factor - 1) // factor, (width + factor - 1) // factor, 3), np.uint8)
    rows = max(1, STRIP_ROWS // factor) * factor
    palette = _palette_on_white(image) if image.mode == "P" else None
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        if palette is not None:  # Pillow's own lookup and box average, in C
            strip.info.pop("transparency", None)
            strip.putpalette(palette)
            reduced = np.asarray(strip.convert("RGB").reduce(factor))
        elif strip.mode == "1":
            reduced = np.asarray(strip.convert("L").reduce(factor))[..., None]
        elif strip.mode.startswith("I;16"):  # grey: one channel, made RGB after reduction
            grey = np.asarray(strip).astype(np.float32) * (255.0 / 65535.0)
            reduced = _block_mean(grey, factor)[..., None]
        else:
            reduced = _block_mean(to_rgb(strip).astype(np.float32), factor)
        out[top // factor : top // factor + reduced.shape[0]] = reduced
    return Image.fromarray(out)


def _palette_on_white(image: Image.Image) -> bytes:
    """The palette as RGB bytes with every transparent entry put on white (as ``to_rgb``)."""
    rgba = np.zeros((256, 4), np.float32)
    rgba[:, 3] = 255.0
    palette = np.array(image.getpalette("RGB") or [], np.float32).reshape(-1, 3)[:256]
    rgba[: len(palette), :3] = palette
    transparency = image.info.get("transparency")
    if isinstance(transparency, bytes):
        alphas = np.frombuffer(transparency, np.uint8)[:256]
        rgba[: len(alphas), 3] = alphas
    elif isinstance(transparency, int) and 0 <= transparency < 256:
        rgba[transparency, 3] = 0.0
    alpha = rgba[:, 3:] / 255.0
    on_white = rgba[:, :3] * alpha + 255.0 * (1.0 - alpha)
    return np.clip(on_white + 0.5, 0, 255).astype(np.uint8).tobytes()


def _block_mean(colours: np.ndarray, factor: int) -> np.ndarray:
    """Mean of every factor x factor block (partial at the edges), rounded to uint8."""
    height, width = colours.shape[:2]
    rows, columns = np.arange(0, height, factor), np.arange(0, width, factor)
    sums = np.add.reduceat(np.add.reduceat(colours, rows, axis=0), columns, axis=1)
    counts = np.outer(np.diff(np.append(rows, height)), np.diff(np.append(columns, width)))
    if sums.ndim == 3:
        counts = counts[..., None]
    return np.clip(sums / counts + 0.5, 0, 255).astype(np.uint8)


def check_rgb_array(array, *, min_side: int) -> None:
    """Refuse an array ``analyze`` cannot hand to the pose model, saying what to pass instead.

    Accepted: a numpy array of shape (height, width, 3), dtype uint8, both sides at least
    ``min_side`` and at most ``MAX_PIXELS`` pixels. Anything else (grey 2-D, RGBA, float,
    16-bit, empty, a list) is a ``LimitError``; the pose model never sees it.
    """
    expected = "Pass an upright RGB picture: a numpy array of shape (height, width, 3), uint8 0-255."
    if not isinstance(array, np.ndarray):
        raise LimitError(Reason.UNREADABLE_IMAGE, f"Got {type(array).__name__}, not a picture. {expected}")
    shape = "×".join(str(n) for n in array.shape)
    if array.ndim != 3 or array.shape[2] != 3:
        what = {2: "a one-channel (grey) array", 3: f"an array with {array.shape[-1]} channels"}
        kind = what.get(array.ndim, f"a {array.ndim}-dimensional array")
        if array.ndim == 3 and array.shape[2] == 4:
            kind = "an RGBA array (drop the alpha channel: array[..., :3])"
        raise LimitError(Reason.UNREADABLE_IMAGE, f"Got {kind} of shape {shape}. {expected}")
    if array.dtype != np.uint8:
        raise LimitError(Reason.UNREADABLE_IMAGE, f"Got an array of {array.dtype} values. {expected}")
    height, width = array.shape[:2]
    if height * width > MAX_PIXELS:
        raise LimitError(Reason.IMAGE_TOO_LARGE, too_large_message(width, height))
    if min(height, width) < min_side:
        raise LimitError(
            Reason.UNREADABLE_IMAGE,
            f"This picture is only {width}×{height} pixels; a side under {min_side} "
            "pixels is too small to find a person in.",
        )
