"""Only JPEG, PNG, WebP and HEIC are read, decided from the bytes, sized from the header (issue 19).

Also: the decoding worker's bound holds for a file the header checks would have refused
(``sandbox.decode`` called directly), a worker that runs out of time is killed, the shared
photos decode exactly as the in-process decoder of before did, and ``posture analyze`` gives
the sentence without a traceback.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from posture.image import ImageError, formats, load_image, sandbox
from posture.image import decode as imaging
from posture.types import Reason
from tests import bombs

REPO = Path(__file__).resolve().parents[2]


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _heic(image: Image.Image) -> bytes:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    return encode(image, "HEIF", quality=50)


RGB = Image.new("RGB", (301, 203), (10, 200, 30))
RGBA = Image.new("RGBA", (301, 203), (10, 200, 30, 128))


@pytest.mark.parametrize(
    "build, fmt, size",
    [
        (lambda: encode(RGB, "JPEG"), formats.JPEG, (301, 203)),
        (lambda: encode(RGB, "JPEG", progressive=True), formats.JPEG, (301, 203)),
        (lambda: encode(RGB, "PNG"), formats.PNG, (301, 203)),
        (lambda: encode(RGB, "WEBP", quality=80), formats.WEBP, (301, 203)),  # VP8 (lossy)
        (lambda: encode(RGB, "WEBP", lossless=True), formats.WEBP, (301, 203)),  # VP8L
        (lambda: encode(RGBA, "WEBP", quality=80), formats.WEBP, (301, 203)),  # VP8X (alpha)
        # HEVC codes even sides; the largest ispe is the coded size, cropped to 301x203 by 'clap'
        (lambda: _heic(RGB), formats.HEIF, (302, 204)),
    ],
)
def test_format_and_size_come_from_the_bytes(build, fmt, size):
    data = build()
    assert formats.sniff(data) is fmt
    assert formats.header_size(data, fmt) == size


@pytest.mark.parametrize(
    "build, what",
    [
        (lambda: bombs.jpeg2000(256), "JPEG 2000"),
        (lambda: encode(RGB, "TIFF"), "TIFF"),
        (lambda: encode(RGB, "GIF"), "GIF"),
        (lambda: encode(RGB, "BMP"), "BMP"),
        (lambda: b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "AVIF"),
        (lambda: b"just some text", "not an image"),
    ],
)
def test_other_formats_are_refused_naming_the_accepted_ones(build, what):
    with pytest.raises(ImageError) as caught:
        load_image(build())
    assert caught.value.reason is Reason.UNREADABLE_IMAGE
    assert what in caught.value.message
    assert "JPEG, PNG, WebP or HEIC" in caught.value.message


def test_jpeg2000_named_png_is_refused_at_once(tmp_path):
    if not features.check("jpg_2000"):
        pytest.skip("Pillow without openjpeg: the issue's file cannot be built")
    path = tmp_path / "photo.png"
    path.write_bytes(bombs.jpeg2000(8900))
    with Image.open(path) as image:  # Pillow alone would take it, whatever its name
        assert (image.format, image.size) == ("JPEG2000", (8900, 8900))
    started = time.perf_counter()
    with pytest.raises(ImageError) as caught:
        load_image(path)
    assert time.perf_counter() - started < 0.5
    assert caught.value.message.startswith("This file is a JPEG 2000 file, whatever its name says.")


def test_huge_webp_is_refused_by_its_header_with_what_to_do():
    data = bombs.lossless_webp(8900)
    assert len(data) < 3000
    started = time.perf_counter()
    with pytest.raises(ImageError) as caught:
        load_image(data)
    assert time.perf_counter() - started < 0.5
    assert caught.value.reason is Reason.IMAGE_TOO_LARGE
    assert "8900×8900 pixels (79 megapixels)" in caught.value.message
    assert "Export it smaller than 40 megapixels" in caught.value.message


def test_a_header_that_lies_to_the_checks_still_cannot_pass_the_memory_bound():
    """The 8900x8900 WebP handed to the worker directly: it runs out of its 1 GiB, not the host."""
    with pytest.raises(sandbox.SandboxError) as caught:
        sandbox.decode(bombs.lossless_webp(8900), "WEBP", 1280)
    assert caught.value.reason == "image_too_large"
    assert "more than 1024 MiB" in caught.value.message or "decoder stopped" in caught.value.message
    assert load_image(encode(RGB, "PNG")).rgb.shape == (203, 301, 3)  # the next photo still decodes


def test_a_decode_past_the_time_limit_is_stopped(monkeypatch):
    monkeypatch.setattr(sandbox, "SECONDS", 0.02)
    with pytest.raises(ImageError) as caught:
        load_image(bombs.png_16bit_grey(4000))
    assert caught.value.reason is Reason.IMAGE_TOO_LARGE
    assert "took longer than" in caught.value.message


def _old_decode(data: bytes) -> np.ndarray:
    """The decoder as it was before the worker: Pillow's own choice of plugin, in this process."""
    imaging.register_heif()
    with Image.open(io.BytesIO(data)) as image:
        return imaging._decode(image, imaging.ANALYSIS_LONG_SIDE).rgb


def test_shared_photos_decode_as_before(samples_dir):
    paths = sorted(p for p in samples_dir.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    assert paths
    for path in paths:
        np.testing.assert_array_equal(load_image(path).rgb, _old_decode(path.read_bytes()), err_msg=str(path))


def test_command_says_why_without_a_traceback(tmp_path):
    (tmp_path / "photo.png").write_bytes(bombs.jpeg2000(512))
    (tmp_path / "big.webp").write_bytes(bombs.lossless_webp(8900))
    done = subprocess.run(
        [sys.executable, "-m", "posture.cli", "analyze", "photo.png", "big.webp", "--json", "--jobs", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), "POSTURE_MODELS_DIR": str(REPO / "models")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(line["file"], line["reason"]) for line in lines] == [
        ("photo.png", "unreadable_image"),
        ("big.webp", "image_too_large"),
    ]
    assert "JPEG 2000" in lines[0]["message"]
    assert "Export it smaller than 40 megapixels" in lines[1]["message"]
