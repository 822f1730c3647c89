"""Photos in and out: decoding (``decode``) to an upright RGB array, encoding to bytes (``encode``)."""

from posture.image.decode import ImageError, LoadedImage, load_image

__all__ = ["ImageError", "LoadedImage", "load_image"]
