"""Images to bytes: JPEG and PNG files and a JPEG ``data:`` URI (for self-contained HTML)."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image


def image_data_uri(rgb: np.ndarray, *, quality: int = 88) -> str:
    """A JPEG ``data:`` URI of an RGB uint8 image, so the HTML needs no other file."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes(rgb, quality=quality)).decode()


def jpeg_bytes(rgb: np.ndarray, *, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def png_bytes(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG")
    return out.getvalue()
