"""Decoding photos: orientation, modes, sizes and every way a file can be unreadable."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from posture.image import decode as imaging
from posture.image.decode import ImageError, load_image
from posture.types import Reason


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def marked_image(width=300, height=200) -> Image.Image:
    """A white image with a red block in the top-left corner, to follow rotations."""
    array = np.full((height, width, 3), 255, np.uint8)
    array[:40, :60] = (255, 0, 0)
    return Image.fromarray(array)


def test_exif_orientation_6_is_turned_upright():
    image = marked_image()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored pixels must be rotated 90° clockwise to display
    loaded = load_image(encode(image, "JPEG", exif=exif, quality=95))
    assert loaded.rgb.shape == (300, 200, 3)
    assert loaded.original_size == (200, 300)
    # the red corner moves from top-left to top-right after a clockwise turn
    assert loaded.rgb[10, -10, 0] > 200 and loaded.rgb[10, -10, 1] < 80


@pytest.mark.parametrize("mode", ["L", "RGBA", "CMYK", "P", "I;16"])
def test_every_mode_becomes_rgb_uint8(mode):
    base = marked_image()
    image = base.convert("I;16") if mode == "I;16" else base.convert(mode)
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    loaded = load_image(encode(image, fmt))
    assert loaded.rgb.dtype == np.uint8 and loaded.rgb.shape == (200, 300, 3)


def test_sixteen_bit_values_are_scaled_not_clipped():
    array = np.full((100, 100), 32768, np.uint16)  # mid grey in 16 bits
    loaded = load_image(encode(Image.fromarray(array), "PNG"))
    assert loaded.rgb[50, 50, 0] == pytest.approx(128, abs=1)


def test_transparent_background_is_white():
    rgba = np.zeros((100, 100, 4), np.uint8)  # fully transparent black
    loaded = load_image(encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert (loaded.rgb == 255).all()


def test_large_photo_is_reduced_to_the_analysis_size():
    loaded = load_image(encode(marked_image(4000, 3000), "JPEG", quality=80))
    assert max(loaded.rgb.shape[:2]) == imaging.ANALYSIS_LONG_SIDE
    assert loaded.original_size == (4000, 3000)
    assert loaded.scale == pytest.approx(imaging.ANALYSIS_LONG_SIDE / 4000)


def test_webp_and_first_frame_of_an_animated_webp():
    assert load_image(encode(marked_image(), "WEBP")).rgb.shape == (200, 300, 3)
    frames = [marked_image(), Image.new("RGB", (300, 200), (0, 0, 255))]
    animated = io.BytesIO()
    frames[0].save(animated, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    loaded = load_image(animated.getvalue())
    assert loaded.rgb[100, 150].tolist() == [255, 255, 255]  # first frame, not the blue one


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size but holds almost no data (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", Reason.UNREADABLE_IMAGE),
        (b"this is a text file, not a photo", Reason.UNREADABLE_IMAGE),
        (png_header_only(20000, 20000), Reason.IMAGE_TOO_LARGE),
        (png_header_only(1, 1), Reason.UNREADABLE_IMAGE),
    ],
)
def test_bad_files_get_a_reason_and_a_message(data, expected):
    with pytest.raises(ImageError) as caught:
        load_image(data)
    assert caught.value.reason is expected
    assert len(caught.value.message) > 20


def test_truncated_jpeg_is_unreadable():
    data = encode(marked_image(), "JPEG")[:300]
    with pytest.raises(ImageError) as caught:
        load_image(data)
    assert caught.value.reason is Reason.UNREADABLE_IMAGE


def test_missing_path_says_so(tmp_path):
    with pytest.raises(ImageError, match="no readable file"):
        load_image(tmp_path / "nope.jpg")


def test_wrong_extension_is_still_decoded(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(encode(marked_image(), "JPEG"))
    assert load_image(path).rgb.shape == (200, 300, 3)
