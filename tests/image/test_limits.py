"""Every file or path is answered in bounded time and memory (issue 11, section 2).

The bombs are built in code (``tests/bombs.py``): small files whose naive decode costs
gigabytes or minutes. Each is decoded in a fresh process so its peak memory (``VmHWM``,
the interpreter with its imports included) is its own. Bounds asserted: an answer (a
reduced picture or a reason) within ``SECONDS`` and under ``PEAK_MIB`` per file, the target of
the issue on this 2-core machine. Figures are printed (``-s``) for docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from posture.image import ImageError, load_image
from posture.types import Reason
from tests import bombs

REPO = Path(__file__).resolve().parents[2]
SECONDS = 10.0
PEAK_MIB = 1024

_MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    from posture.image import ImageError, load_image

    def status(key):
        for line in open("/proc/self/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024

    data = open(sys.argv[1], "rb").read()
    before = status("VmRSS")
    try:  # start the peak afresh after the imports (Linux: 5 resets VmHWM)
        open("/proc/self/clear_refs", "w").write("5")
    except OSError:
        pass
    started = time.perf_counter()
    try:
        answer = list(load_image(data).rgb.shape)
    except ImageError as error:
        answer = error.reason.value
    seconds = time.perf_counter() - started
    from posture.image import sandbox  # the decoding worker's own peak, still alive and idle

    def worker_peak(pid):
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    workers = [worker_peak(worker.process.pid) for worker in sandbox._idle]
    print(json.dumps({"answer": answer, "seconds": seconds,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "decode_peak_mib": status("VmHWM") + sum(workers),
                      "worker_peak_mib": sum(workers), "before_mib": before}))
""")

BOMBS = {
    "16-bit grey PNG 8944x8944": (bombs.png_16bit_grey, [1280, 1280, 3]),
    "palette PNG with transparency 8944x8944": (bombs.png_palette_with_transparency, [1280, 1280, 3]),
    "1-bit PNG 8944x8944": (bombs.png_1bit, [1280, 1280, 3]),
    "progressive JPEG 8000x8000, 2000 scans": (lambda: bombs.progressive_jpeg(8000, 2000), "image_too_large"),
    "progressive JPEG 4000x4000, 300 scans": (lambda: bombs.progressive_jpeg(4000, 300), "image_too_large"),
    "JPEG 2000 8900x8900 (named .png)": (bombs.jpeg2000, "unreadable_image"),
    "lossless WebP 8900x8900": (lambda: bombs.lossless_webp(8900), "image_too_large"),
    "lossless WebP 6300x6300 (under the WebP limit)": (lambda: bombs.lossless_webp(6300), [1280, 1280, 3]),
    "PNG header claiming 100000x100000": (
        lambda: (
            bombs.png_16bit_grey(16)[:16] + (100_000).to_bytes(4, "big") * 2 + bombs.png_16bit_grey(16)[24:]
        ),
        "image_too_large",
    ),
}


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    paths = {}
    for name, (build, _) in BOMBS.items():
        path = folder / (name.split()[0].replace("-", "") + f"_{len(paths)}.png")
        path.write_bytes(build())
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_is_answered_in_bounded_time_and_memory(name, bomb_files):
    path = bomb_files[name]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    print(
        f"\n{name}: {path.stat().st_size / 1024:.0f} KiB -> {figures['answer']} in "
        f"{figures['seconds']:.2f} s; resident memory {figures['before_mib']:.0f} MiB before "
        f"decoding, peak {figures['decode_peak_mib']:.0f} MiB while decoding, "
        f"{figures['worker_peak_mib']:.0f} MiB of it the worker's (ru_maxrss "
        f"{figures['peak_mib']:.0f} MiB, which carries the parent's size)"
    )
    assert figures["answer"] == BOMBS[name][1]
    assert figures["seconds"] < SECONDS
    # VmHWM is the high-water mark of a process's own memory: this one's plus the decoding
    # worker's (posture.image.sandbox), added although they need not peak together. ``ru_maxrss`` (printed above)
    # is not asserted: Linux keeps the larger of it and the parent's resident size across
    # fork and exec, so inside a test run that has grown past 1 GiB it reads the test run's
    # size, not the decode's.
    assert figures["decode_peak_mib"] < PEAK_MIB


def test_a_reduced_palette_picture_keeps_its_colours():
    """The strip-wise reduction gives the colours a small picture of that mode gives."""
    small = load_image(bombs.png_palette_with_transparency(640)).rgb
    large = load_image(bombs.png_palette_with_transparency(2600)).rgb
    assert large.shape == (1280, 1280, 3)
    assert abs(int(large[600, 600, 0]) - int(small[300, 300, 0])) <= 1


def _reason(source) -> tuple[Reason, str]:
    with pytest.raises(ImageError) as caught:
        load_image(source)
    return caught.value.reason, caught.value.message


def _answer_within(source, seconds: float = 5.0) -> tuple[Reason, str]:
    """The reason, from a thread: a hang fails the test instead of stopping the suite."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_reason(source)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"no answer for {source} within {seconds} s"
    return result[0]


def test_a_folder_is_answered_with_a_reason(tmp_path):
    reason, message = _answer_within(tmp_path)
    assert reason is Reason.UNREADABLE_IMAGE and "folder" in message


def test_a_fifo_is_answered_at_once(tmp_path):
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    reason, message = _answer_within(fifo)
    assert reason is Reason.UNREADABLE_IMAGE and "pipe" in message


def test_dev_zero_is_never_read():
    reason, message = _answer_within("/dev/zero")
    assert reason is Reason.UNREADABLE_IMAGE and "device" in message


def test_a_socket_is_answered_with_a_reason(tmp_path):
    path = tmp_path / "photo.png"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        reason, message = _answer_within(path)
    finally:
        server.close()
    assert reason is Reason.UNREADABLE_IMAGE and "socket" in message


def test_proc_self_mem_is_answered_with_a_reason():
    reason, _ = _answer_within("/proc/self/mem")
    assert reason is Reason.UNREADABLE_IMAGE


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: permissions cannot be tested")
def test_a_file_without_read_permission_is_answered_with_a_reason(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    path.chmod(0)
    reason, message = _answer_within(path)
    assert reason is Reason.UNREADABLE_IMAGE and "permission" in message


@pytest.mark.parametrize("source", ["", "   ", Path("no/such/photo.jpg")])
def test_an_empty_or_missing_path_is_answered_with_a_reason(source):
    reason, _ = _answer_within(source)
    assert reason is Reason.UNREADABLE_IMAGE


def test_a_symlink_loop_is_answered_with_a_reason(tmp_path):
    loop = tmp_path / "loop.jpg"
    loop.symlink_to(loop)
    reason, _ = _answer_within(loop)
    assert reason is Reason.UNREADABLE_IMAGE
