"""When a photo was taken, as its EXIF data says (``DateTimeOriginal``, ``OffsetTimeOriginal``).

Only the raw texts are read here; ``posture.records.dates.exif_datetime`` turns them into a
date-time with its UTC offset.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from posture.image import formats
from posture.image.decode import register_heif
from posture.image.limits import LimitError, read_photo_file

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881


def exif_date_texts(source: str | Path | bytes) -> tuple[str | None, str | None]:
    """The raw ``DateTimeOriginal`` ("2026:11:12 09:30:00") and ``OffsetTimeOriginal``
    ("+01:00") of a photo, each None when absent or the file cannot be read."""
    try:
        data = source if isinstance(source, bytes) else read_photo_file(source)
        fmt = formats.sniff(data)  # only the accepted formats' plugins read the header
        if fmt is formats.HEIF:
            register_heif()
        with Image.open(io.BytesIO(data), formats=[fmt.pillow]) as image:
            exif = image.getexif().get_ifd(EXIF_IFD)
    except (OSError, UnidentifiedImageError, ValueError, LimitError):  # FormatError: a ValueError
        return None, None

    def text(tag: int) -> str | None:
        value = exif.get(tag)
        return value if isinstance(value, str) and value.strip("\x00 ") else None

    return text(DATE_TIME_ORIGINAL), text(OFFSET_TIME_ORIGINAL)
