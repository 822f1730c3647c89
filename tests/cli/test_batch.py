"""`posture analyze` loses nothing and stops for nothing (issue 11, section 3), run as a user would.

One batch in two processes covers: a folder walked for photos (and an empty one answered),
photos of the same name in two folders and a mirrored copy, a file named ``-x.png``, a name
with an accent, the output order, and unique overlay names named in the JSON lines.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageOps


def run(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "posture.cli", *args],
        capture_output=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory, samples_dir):
    """A folder of photos: two named photo.png in two folders, a mirrored copy, -x.png, café.png."""
    root = tmp_path_factory.mktemp("batch")
    pranjal = samples_dir / "pranjal_postureanalysis"
    (root / "clients" / "ann").mkdir(parents=True)
    (root / "clients" / "bob").mkdir()
    (root / "clients" / ".hidden").mkdir()
    (root / "empty").mkdir()
    shutil.copy(pranjal / "left.png", root / "clients" / "ann" / "photo.png")
    shutil.copy(pranjal / "right.png", root / "clients" / "bob" / "photo.png")
    ImageOps.mirror(Image.open(pranjal / "left.png")).save(
        root / "clients" / "bob" / "photo.webp", lossless=True
    )
    shutil.copy(pranjal / "left.png", root / "clients" / ".hidden" / "skipped.png")
    (root / "clients" / "notes.txt").write_text("not a photo")
    shutil.copy(pranjal / "front.png", root / "-x.png")
    shutil.copy(pranjal / "left.png", root / "café.png")
    return root


def test_a_batch_keeps_its_order_names_every_overlay_and_walks_folders(batch):
    done = run(
        "analyze",
        "clients",
        "empty",
        "-x.png",
        "café.png",
        "--json",
        "--overlay",
        "out",
        "--jobs",
        "2",
        cwd=batch,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["file"] for r in records] == [
        "clients/ann/photo.png",
        "clients/bob/photo.png",
        "clients/bob/photo.webp",
        "empty",
        "-x.png",
        "café.png",
    ]
    facing = {r["file"]: r["facing"] for r in records}
    assert facing["clients/ann/photo.png"] == "left"
    assert facing["clients/bob/photo.webp"] == "right"  # the mirrored copy
    assert facing["clients/bob/photo.png"] == "right"
    assert records[3]["status"] == "rejected" and "no photos" in records[3]["message"]
    assert records[4]["reason"] == "not_side_view"  # -x.png was read, as a file
    overlays = [r.get("overlay") for r in records if r["file"] != "empty"]
    assert len(set(overlays)) == 5, overlays
    assert sorted(os.listdir(batch / "out")) == sorted(Path(o).name for o in overlays)
    # each overlay is its own photo: the two photo.png of different people differ
    first, second = (Image.open(batch / o) for o in overlays[:2])
    assert first.tobytes() != second.tobytes()


def test_one_process_and_two_give_the_same_lines(batch):
    one = run("analyze", "clients", "--json", "--jobs", "1", cwd=batch)
    two = run("analyze", "clients", "--json", "--jobs", "2", cwd=batch)

    def strip(out: bytes) -> list[dict]:
        return [
            {k: v for k, v in json.loads(line).items() if k != "timings_ms"}
            for line in out.decode().splitlines()
        ]

    assert strip(one.stdout) == strip(two.stdout)


def test_overlay_at_an_existing_file_is_a_usage_error(batch):
    done = run("analyze", "café.png", "--overlay", "café.png", cwd=batch)
    assert done.returncode == 2
    assert b"is a file" in done.stderr and b"Traceback" not in done.stderr


def test_an_unknown_dash_name_gets_a_hint(batch):
    done = run("analyze", "-nothere.jpg", cwd=batch)
    assert done.returncode == 2
    assert b"./-nothere.jpg" in done.stderr and b"Traceback" not in done.stderr


def test_piped_into_head_it_stops_quietly(batch):
    """`posture analyze ... | head -1`: the reader goes away after one line."""
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.Popen(
        [sys.executable, "-m", "posture.cli", "analyze", "clients", "café.png", "-x.png", "--jobs", "1"],
        cwd=batch,
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
    )
    reader.stdin.close()
    first = reader.stdout.read()
    _, errors = writer.communicate(timeout=300)
    assert first.count(b"\n") == 1
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors
    assert writer.returncode == 1


def test_an_ascii_terminal_gets_every_line(batch):
    done = run(
        "analyze",
        "café.png",
        "-x.png",
        "--jobs",
        "1",
        cwd=batch,
        env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    lines = done.stdout.decode("ascii").splitlines()
    assert len(lines) == 2 and lines[0].startswith("caf\\xe9.png: ")


def test_a_long_batch_shows_progress_on_a_terminal_and_not_in_the_output(batch):
    """stderr on a terminal (a pseudo-terminal here), stdout a pipe: the bar goes to stderr only."""
    import fcntl
    import pty
    import struct
    import termios
    import threading

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posture.cli",
            "analyze",
            "clients",
            "café.png",
            "-x.png",
            "--jobs",
            "1",
            "--json",
        ],
        cwd=batch,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    out, _ = process.communicate(timeout=300)
    os.close(follower)
    reader.join(5)
    os.close(leader)
    assert process.returncode == 0
    assert len(out.decode().splitlines()) == 5
    assert b"/5" in shown and b"photo" in shown, bytes(shown)
    assert b"/5" not in out
