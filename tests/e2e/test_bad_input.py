"""Every bad input answered: a reason code and a message, in bounded time and memory, no traceback.

The corpus is every negative photo of ../shared/samples (skipped when absent) plus nasty files
built here: empty, truncated, text named .jpg, one pixel, a real 20000×20000 PNG decompression
bomb (1.2 GB of pixels in 1.2 MB), a JPEG header claiming 65500×65500, a file over the 50 MiB
limit, 16-bit PNG, CMYK JPEG, animated WebP, GIF and TIFF (refused by their bytes), huge EXIF blocks,
wrong extensions, a broken EXIF.

Files that decode are made from one photo whose verdict is known (``front.png``: a person seen
from the front, ``not_side_view``), so getting that exact reason proves the file was decoded the
right way up and the model saw the person. Without the samples a plain picture is used and the
expected reason is ``no_person``.

Each file goes through three doors: ``analyze`` in this process, the ``posture analyze --json``
command in a subprocess, and the photo page in Streamlit's AppTest.

A picture just under the 80-megapixel limit once took 1.35 GB to decode; it is now reduced as
soon as it is read and kept to a stated bound.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from posture.analyze import analyze
from posture.image.decode import MAX_FILE_BYTES
from posture.types import Reason
from tests import bombs
from tests.conftest import SAMPLES, sample_rows

REPO = Path(__file__).resolve().parents[2]
BASE_PHOTO = SAMPLES / "pranjal_postureanalysis" / "front.png"

IMAGE_REASONS = {Reason.UNREADABLE_IMAGE, Reason.IMAGE_TOO_LARGE}
MAX_SECONDS_IMAGE_REASON = 2.0
"""A file refused for what it is (unreadable, too large) is refused before any pose work."""
MAX_SECONDS = 15.0
"""Any file, pose detection included, on a loaded 2-core CI machine (typically 0.1-0.5 s)."""
MAX_PEAK_MB = 250
"""Peak resident memory added while one file is analysed. Decoding the bomb would take
1,200 MB and the 65500×65500 JPEG header 12,900 MB; a 1280-pixel analysis needs about 30."""
MAX_CLI_PEAK_MB = 800
"""Peak resident memory of the whole ``posture analyze`` run (model included; measured 330)."""


@dataclass(frozen=True)
class Case:
    """One file of the corpus: its name on disk, its bytes, the reasons that answer it."""

    id: str
    filename: str
    data: bytes
    expected: frozenset[Reason]


# --- building the nasty files -----------------------------------------------------------


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_chunk_after_header(png: bytes, kind: bytes, data: bytes) -> bytes:
    """Insert a chunk right after IHDR (8-byte signature + 25-byte IHDR chunk)."""
    return png[:33] + _chunk(kind, data) + png[33:]


def zero_png(width: int, height: int) -> bytes:
    """A valid black RGB PNG of any size, built without holding its pixels.

    The zlib stream repeats one fully flushed segment of zero rows (each segment decodes on
    its own), and the Adler-32 of n zero bytes is ((n mod 65521) << 16) | 1.
    """
    row = width * 3 + 1  # filter byte + RGB
    seg_rows = max(1, min(height, 4_000_000 // row))
    count, rest = divmod(height, seg_rows)
    first = zlib.compressobj(9)
    head = first.compress(bytes(row * seg_rows)) + first.flush(zlib.Z_FULL_FLUSH)
    raw = zlib.compressobj(9, wbits=-15)
    body = raw.compress(bytes(row * seg_rows)) + raw.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, wbits=-15)
    tail = last.compress(bytes(row * rest)) + last.flush()
    adler = (((row * height) % 65521) << 16) | 1
    stream = head + body * (count - 1) + tail + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int, jpeg: bytes) -> bytes:
    """``jpeg`` with its frame header (SOF0) saying ``width`` × ``height``."""
    patched = bytearray(jpeg)
    at = patched.find(b"\xff\xc0")
    patched[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(patched)


def tiff_ifd(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """A big-endian TIFF header and one IFD of (tag, type, count, 4-byte value) entries."""
    body = b"".join(struct.pack(">HHI", tag, kind, count) + value for tag, kind, count, value in entries)
    return b"MM\0*\0\0\0\x08" + struct.pack(">H", len(entries)) + body + b"\0\0\0\0"


def jpeg_with_app1(jpeg: bytes, payload: bytes) -> bytes:
    segment = b"Exif\0\0" + payload
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment + jpeg[2:]


def broken_exif_tiff() -> bytes:
    """Orientation 6 (turn to display) and XResolution stored as text instead of a rational.

    Found by fuzzing: Pillow reads the file, but ``ImageOps.exif_transpose`` re-wrote the
    EXIF and failed with TypeError on the mistyped tag; the decoder now turns the picture by
    the orientation value itself.
    """
    return tiff_ifd([(0x0112, 3, 1, b"\0\x06\0\0"), (0x011A, 2, 4, b"abc\0")])


def png_16_bit_rgb(picture: Image.Image) -> bytes:
    """A 48-bit RGB PNG (16 bits a channel, as photo editors export), written by hand:
    Pillow cannot save one."""
    wide = np.asarray(picture.convert("RGB"), dtype=">u2") * 257  # 0..255 -> 0..65535
    rows = b"".join(b"\0" + row.tobytes() for row in wide)
    header = struct.pack(">IIBBBBB", picture.width, picture.height, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def gray_16_bit(picture: Image.Image) -> Image.Image:
    return Image.fromarray(np.asarray(picture.convert("L"), dtype=np.uint16) * 257)


def base_picture() -> tuple[Image.Image, frozenset[Reason]]:
    """The photo the decodable files are made from, and the verdict it must keep."""
    if BASE_PHOTO.is_file():
        return Image.open(BASE_PHOTO).convert("RGB"), frozenset({Reason.NOT_SIDE_VIEW})
    ramp = np.linspace(40, 220, 480 * 640).reshape(640, 480).astype(np.uint8)
    return Image.fromarray(np.stack([ramp] * 3, axis=-1)), frozenset({Reason.NO_PERSON})


def nasty_cases() -> list[Case]:
    picture, verdict = base_picture()
    jpeg = _encode(picture, "JPEG", quality=92)
    png = _encode(picture, "PNG")
    unreadable, too_large = frozenset({Reason.UNREADABLE_IMAGE}), frozenset({Reason.IMAGE_TOO_LARGE})
    # Stored turned a quarter left with EXIF orientation 6: only upright does it keep its verdict.
    turned = picture.transpose(Image.Transpose.ROTATE_90)
    big_exif = Image.Exif()
    big_exif[0x0112] = 6
    big_exif[0x010F] = "Camera"
    big_exif[0x9286] = b"ASCII\0\0\0" + b"x" * 64_000  # UserComment filling the 64 KB segment
    frames = [picture, Image.new("RGB", picture.size, (0, 0, 255))]
    gif, animated_webp = io.BytesIO(), io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    frames[0].save(animated_webp, "WEBP", save_all=True, append_images=frames[1:], duration=200, quality=90)
    cases = [
        Case("zero_bytes", "empty.jpg", b"", unreadable),
        Case("truncated_jpeg", "cut.jpg", jpeg[: len(jpeg) // 2], unreadable),
        Case("jpeg_header_only", "header.jpg", jpeg[:200], unreadable),
        Case("text_named_jpg", "notes.jpg", b"Shopping list: milk, eggs, bread.\n" * 20, unreadable),
        Case(
            "svg_named_png",
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"/>',
            unreadable,
        ),
        Case("one_pixel", "pixel.png", _encode(Image.new("RGB", (1, 1), (200, 0, 0)), "PNG"), unreadable),
        Case("png_bomb_20000x20000", "bomb.png", zero_png(20000, 20000), too_large),
        Case("jpeg_claiming_65500x65500", "giant.jpg", jpeg_claiming(65500, 65500, jpeg), too_large),
        Case("over_50_mib", "huge.jpg", jpeg + bytes(MAX_FILE_BYTES + 1 - len(jpeg)), too_large),
        Case("png_16_bit_gray", "deep.png", _encode(gray_16_bit(picture), "PNG"), verdict),
        Case("png_16_bit_rgb", "deep-colour.png", png_16_bit_rgb(picture), verdict),
        Case("cmyk_jpeg", "print.jpg", _encode(picture.convert("CMYK"), "JPEG", quality=92), verdict),
        Case("animated_webp", "moving.webp", animated_webp.getvalue(), verdict),
        # Formats the README does not name are refused by their bytes, whatever their name.
        Case("gif_named_png", "moving.png", gif.getvalue(), unreadable),
        Case("tiff_named_jpg", "scan.jpg", _encode(picture, "TIFF"), unreadable),
        Case(
            "huge_exif_jpeg_rotated", "exif.jpg", _encode(turned, "JPEG", quality=92, exif=big_exif), verdict
        ),
        Case(
            "huge_exif_png_10mb",
            "exif.png",
            _png_chunk_after_header(
                png, b"eXIf", tiff_ifd([(0x0112, 3, 1, b"\0\x01\0\0")]) + bytes(10_000_000)
            ),
            verdict,
        ),
        Case("png_named_jpg", "really-a-png.jpg", png, verdict),
        Case("jpeg_named_png", "really-a-jpeg.png", jpeg, verdict),
        Case("webp_named_heic", "really-a-webp.heic", _encode(picture, "WEBP", quality=90), verdict),
        # A broken tag in otherwise fine EXIF: the orientation is still read, the photo turned
        # upright and measured.
        Case(
            "broken_exif_orientation",
            "camera.jpg",
            jpeg_with_app1(_encode(turned, "JPEG"), broken_exif_tiff()),
            verdict,
        ),
    ]
    return cases


def sample_cases() -> list[Case]:
    """Every negative photo of ../shared/samples: refused for a reason about the person
    (tests/test_samples.py checks which one)."""
    person_reasons = frozenset(Reason) - IMAGE_REASONS
    return [
        Case(row["path"], Path(row["path"]).name, (SAMPLES / row["path"]).read_bytes(), person_reasons)
        for row in sample_rows()
        if row["category"].startswith("negative_")
    ]


NASTY = nasty_cases()
SAMPLES_NEGATIVE = sample_cases()
CORPUS = NASTY + SAMPLES_NEGATIVE
APP_CORPUS = [c for c in CORPUS if c.id != "over_50_mib"]
"""The app refuses files over 25 MB before they reach the analyzer (test_privacy checks it)."""


# --- measuring ----------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def peak_rss_growth_mb(call) -> tuple[object, float | None]:
    """Run ``call()``; return its result and the peak resident memory it added (MB): this
    process's growth, plus the decoding workers' (``posture.image.sandbox``) growth, counting a
    worker started by the call whole.

    Resets the kernel's high-water mark first (``/proc/self/clear_refs``); None where that is
    not possible (not Linux, or not allowed).
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kb("VmRSS")
    except OSError:
        return call(), None
    workers_before = bombs.reset_worker_peaks()
    result = call()
    return result, (_status_kb("VmHWM") - before) / 1024 + bombs.worker_growth_mib(workers_before)


# --- through analyze ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.id)
def test_analyze_answers_every_file_with_a_reason_in_bounded_time_and_memory(estimator, case):
    started = time.perf_counter()
    result, peak_mb = peak_rss_growth_mb(lambda: analyze(case.data, estimator))
    seconds = time.perf_counter() - started
    assert result.status == "rejected", f"{case.id} was measured"
    assert result.rejection.reason in case.expected, (case.id, result.rejection)
    assert len(result.rejection.message) > 30 and "Traceback" not in result.rejection.message
    assert all(m.value is None and m.reason for m in result.measures.values())
    json.dumps(result.to_dict(), allow_nan=False)  # what the command prints
    limit = MAX_SECONDS_IMAGE_REASON if case.expected <= IMAGE_REASONS else MAX_SECONDS
    assert seconds < limit, f"{case.id} took {seconds:.1f} s"
    if peak_mb is not None:
        assert peak_mb < MAX_PEAK_MB, f"{case.id} added {peak_mb:.0f} MB"


def test_a_path_over_the_size_limit_is_refused_before_it_is_read(estimator, tmp_path):
    path = tmp_path / "sparse.jpg"
    with path.open("wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2 * 2**30)
    result, peak_mb = peak_rss_growth_mb(lambda: analyze(path, estimator))
    assert result.rejection.reason is Reason.IMAGE_TOO_LARGE
    assert "the limit is 50 MiB" in result.rejection.message
    if peak_mb is not None:
        assert peak_mb < 50


NEAR_LIMIT_PEAK_MB = 640
"""A picture just under MAX_PIXELS (80 MP) must decode in at most about two full-size copies:
Pillow holds 4 bytes a pixel, 305 MiB at 80 MP, and one copy cannot be avoided."""


def test_a_picture_just_under_the_pixel_limit_decodes_in_bounded_memory():
    from posture.image.decode import load_image

    data = zero_png(8000, 9999)  # 79.99 MP, 228 KiB: passes the file and pixel limits
    loaded, peak_mb = peak_rss_growth_mb(lambda: load_image(data))
    if peak_mb is None:
        pytest.skip("peak memory cannot be measured here")
    assert max(loaded.rgb.shape) == 1280
    assert peak_mb < NEAR_LIMIT_PEAK_MB, f"{peak_mb:.0f} MiB"


# --- through the command ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_on_disk(tmp_path_factory) -> list[tuple[Case, Path]]:
    folder = tmp_path_factory.mktemp("bad-input")
    written = []
    for number, case in enumerate(CORPUS):
        path = folder / f"{number:02d}-{case.filename}"
        path.write_bytes(case.data)
        written.append((case, path))
    return written


PEAK_WRAPPER = """\
import atexit, runpy, sys
from pathlib import Path
out = Path(sys.argv.pop(1))
def peak():  # the kernel's high-water mark of this process, in KiB
    out.write_text(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
atexit.register(peak)
runpy.run_module("posture.cli", run_name="__main__", alter_sys=True)
"""
"""Runs ``posture`` and writes its own peak memory at exit. (The rusage of a child is no use
here: Linux counts the parent's high-water mark into a child that was forked from it.)"""


def run_measured(
    args: list[str], folder: Path, *, timeout: float
) -> tuple[subprocess.CompletedProcess, float, float | None]:
    """Run ``posture ARGS``; return the finished process, its seconds and peak memory (MiB)."""
    peak_file = folder / "peak-kib.txt"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, str(peak_file), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )
    seconds = time.perf_counter() - started
    peak = int(peak_file.read_text()) / 1024 if peak_file.is_file() else None
    return done, seconds, peak


def test_the_command_answers_every_file_on_its_own_line_without_a_traceback(corpus_on_disk, tmp_path):
    paths = [str(path) for _, path in corpus_on_disk]
    done, seconds, peak_mb = run_measured(["analyze", "--json", *paths], tmp_path, timeout=300)
    print(
        f"\n`posture analyze --json` on {len(paths)} bad files: {seconds:.1f} s, "
        f"peak memory {'?' if peak_mb is None else f'{peak_mb:.0f}'} MiB"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["file"] for r in records] == paths
    for (case, _), record in zip(corpus_on_disk, records):
        assert record["status"] == "rejected", case.id
        assert Reason(record["reason"]) in case.expected, (case.id, record["reason"])
        assert len(record["message"]) > 30, case.id
    assert peak_mb is None or peak_mb < MAX_CLI_PEAK_MB


# --- through the app ----------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _release_the_app_model():
    """Close the app's cached model after these tests (as tests/test_app.py does)."""
    yield
    from webapp import common

    common.estimator.clear()


def upload_name(filename: str) -> str:
    """The name a person would give the file to get it past the upload box's type filter.

    The box takes only photo endings (``webapp.common.UPLOAD_TYPES``); the browser refuses any
    other file before it is sent. A GIF renamed .png is what can still arrive (and is refused by its bytes).
    """
    from webapp.common import UPLOAD_TYPES

    path = Path(filename)
    return filename if path.suffix.lstrip(".").lower() in UPLOAD_TYPES else path.stem + ".png"


def test_the_upload_box_takes_only_photo_types():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("from webapp.pages.photo import render\nrender()", default_timeout=60).run()
    allowed = set(at.file_uploader[0].allowed_type)
    assert allowed == {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}


@pytest.mark.parametrize("case", APP_CORPUS, ids=lambda case: case.id)
def test_the_photo_page_shows_a_message_for_every_file(case):
    from streamlit.testing.v1 import AppTest

    from webapp.common import GUIDANCE_TITLES

    at = AppTest.from_string("from webapp.pages.photo import render\nrender()", default_timeout=60).run()
    at.file_uploader[0].set_value((upload_name(case.filename), case.data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning]
    titles = {GUIDANCE_TITLES[reason] for reason in case.expected}
    assert any(any(f"**{title}.**" in w for title in titles) for w in warnings), (case.id, warnings)
    assert not any(s.value.startswith(("Routine for", "Routine to")) for s in at.subheader)
