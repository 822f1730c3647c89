"""Photo bytes or a path in, an RGB uint8 array out: the one place images are decoded.

Phone photos arrive rotated (EXIF orientation), in 16-bit, with alpha, as HEIC, or far larger
than pose estimation needs. ``load_image`` deals with all of that and raises ``ImageError``
with a reason code and a message the user can act on for anything it cannot read.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from posture.image import sandbox
from posture.image.limits import (
    MAX_FILE_BYTES,
    MAX_PIXELS,
    REDUCIBLE_MODES,
    LimitError,
    check_header,
    file_too_big_message,
    read_photo_file,
    reduce_any_mode,
    too_large_message,
)
from posture.types import Reason

__all__ = ["MAX_FILE_BYTES", "MAX_PIXELS", "ImageError", "LoadedImage", "load_image"]

ANALYSIS_LONG_SIDE = 1280
"""Images are scaled so their long side is at most this many pixels before pose estimation."""

MIN_SIDE = 64
"""Smaller images cannot show a measurable person."""

_heif_registered = False


class ImageError(Exception):
    """An image that cannot be analysed, with a reason code and a message for the user."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class LoadedImage:
    """A decoded photo, upright, RGB uint8 (H, W, 3), at most ``ANALYSIS_LONG_SIDE`` long.

    ``original_size`` is (width, height) of the upright photo as stored; ``scale`` is
    ``rgb width / original width`` (1.0 when the photo was not reduced).
    """

    rgb: np.ndarray
    original_size: tuple[int, int]
    scale: float


def load_image(source: str | Path | bytes, *, long_side: int = ANALYSIS_LONG_SIDE) -> LoadedImage:
    """Decode a photo from a path or its bytes.

    Applies EXIF orientation, converts any mode (grayscale, RGBA, CMYK, 16-bit, palette) to
    RGB, takes the first frame of animations and reduces large photos fast (JPEG DCT scaling
    before a final area resize). Raises ``ImageError`` for anything that cannot be read,
    including a path that is not a regular file or a file that is not JPEG, PNG, WebP or HEIC
    by its bytes (whatever its name), and refuses by their header files whose decoding would
    cost gigabytes or minutes (``posture.image.limits``). The decoding itself runs in a worker
    process that cannot exceed 1 GiB or 20 s (``posture.image.sandbox``).
    """
    try:
        data = _read_bytes(source)
        fmt = check_header(data)
    except LimitError as error:
        raise ImageError(error.reason, error.message) from None
    try:
        meta, pixels = sandbox.decode(data, fmt.pillow, long_side)
    except sandbox.SandboxError as error:
        raise ImageError(Reason(error.reason), error.message) from None
    rgb = np.frombuffer(pixels, np.uint8).reshape(meta["shape"]).copy()
    return LoadedImage(rgb=rgb, original_size=tuple(meta["original_size"]), scale=meta["scale"])


def decode_in_process(data: bytes, plugin: str, long_side: int) -> LoadedImage:
    """Decode ``data`` here with Pillow's ``plugin`` only (the one its bytes were sniffed as).

    The work of a ``sandbox`` worker; ``load_image`` is the entry point (it checks the header
    first and bounds this call's memory and time).
    """
    if plugin == "HEIF":
        register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[plugin]) as image:
                return _decode(image, long_side)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(Reason.IMAGE_TOO_LARGE, too_large_message()) from None
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        TypeError,
        struct.error,
    ) as error:  # TypeError: mistyped EXIF tag
        raise ImageError(
            Reason.UNREADABLE_IMAGE,
            "This file could not be read as an image "
            f"({type(error).__name__}). Send a JPEG, PNG, WebP or HEIC photo straight from "
            "the camera or phone.",
        ) from None


def _read_bytes(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        data = read_photo_file(source)
    else:
        raise LimitError(
            Reason.UNREADABLE_IMAGE, f"Expected a photo (a path or its bytes), got {type(source).__name__}."
        )
    if len(data) > MAX_FILE_BYTES:
        raise LimitError(Reason.IMAGE_TOO_LARGE, file_too_big_message(len(data)))
    if not data:
        raise LimitError(Reason.UNREADABLE_IMAGE, "The file is empty. Choose the photo again.")
    return data


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF photos (iPhone default) when pillow-heif is installed."""
    global _heif_registered
    if _heif_registered:
        return
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        pass
    else:
        register_heif_opener()
    _heif_registered = True


def _decode(image: Image.Image, long_side: int) -> LoadedImage:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageError(Reason.IMAGE_TOO_LARGE, too_large_message(width, height))
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            Reason.UNREADABLE_IMAGE,
            f"This image is only {width}×{height} pixels; a side under {MIN_SIDE} pixels is too "
            "small to find a person in. Send the camera's photo: a person at least 480 pixels "
            "tall in it measures best.",
        )
    orientation = _orientation(image)
    swapped = orientation in (5, 6, 7, 8)
    upright_size = (height, width) if swapped else (width, height)
    if image.format == "JPEG" and max(width, height) > long_side:
        image.draft("RGB", (long_side, long_side))  # DCT scaling: decodes 1/2, 1/4 or 1/8 size
    image.seek(0)  # first frame of an animation
    image.load()
    factor = max(image.size) // long_side
    if factor >= 2 and image.mode in REDUCIBLE_MODES:
        image = image.reduce(factor)  # box-average now, so no full-size copy is made below
    elif factor >= 2:  # 16-bit, palette, 1-bit: converted strip by strip while reducing
        image = reduce_any_mode(image, factor, _to_rgb)
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    rgb = _shrink(_to_rgb(image), long_side)
    scale = rgb.shape[1] / upright_size[0]
    return LoadedImage(rgb=rgb, original_size=upright_size, scale=scale)


_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""EXIF Orientation value -> the transposition that makes the stored pixels upright."""


def _orientation(image: Image.Image) -> int:
    """The EXIF Orientation tag (1-8), or 1 when absent or malformed."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block must not lose the photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(image: Image.Image) -> np.ndarray:
    """Any Pillow mode as contiguous RGB uint8; transparency is put on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        gray = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.stack([gray] * 3, axis=-1))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))


def _shrink(rgb: np.ndarray, long_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    factor = long_side / max(height, width)
    if factor >= 1.0:
        return rgb
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX, reducing_gap=2.0))
