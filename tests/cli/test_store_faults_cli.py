"""The ``posture`` command on a broken, read-only or full records file, run as a user runs it:
exit 4 and one line on stderr (the sentence naming the file and what to do), no traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from posture.records import Store
from tests.records.test_faults import broken, filled, make_read_only

REPO = Path(__file__).resolve().parents[2]
PHOTO = REPO / "samples" / "synthetic_neutral.jpg"


def posture(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "posture.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=180,
    )


def refused(done: subprocess.CompletedProcess, path: Path) -> str:
    """The one stderr line of a command stopped by the records file (exit 4)."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"posture: The records file {path} "), done.stderr
    assert done.returncode == 4, done.stderr
    assert done.stdout == ""
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged(tmp_path, how: str) -> Path:
    if how == "newer":
        path = tmp_path / "records.sqlite3"
        filled(path)
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA user_version = 999")
        conn.close()
        return path
    return broken(tmp_path, how)


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("cut in half", "is damaged (cut short or overwritten) or is not a records database"),
        ("random bytes", "is damaged (cut short or overwritten) or is not a records database"),
        ("newer", "was written by a newer version of posture (records version 999"),
    ],
)
def test_every_command_on_a_broken_file_says_one_sentence(tmp_path, how, said):
    path = damaged(tmp_path, how)
    before = digest(path)
    for command in (
        ["history", "Ana"],
        ["clients", "--json"],
        ["forget", "Ana", "--yes"],
        ["analyze", str(PHOTO), "--client", "Ana", "--save"],
    ):
        line = refused(posture(*command, "--db", str(path)), path)
        assert said in line and line.endswith("or choose another file with --db."), (command, line)
    assert digest(path) == before


def test_a_read_only_file_is_listed_but_nothing_is_saved_or_deleted(tmp_path, request):
    path = tmp_path / "records.sqlite3"
    filled(path)
    make_read_only(path, request)
    listed = posture("history", "Ana", "--db", str(path))
    assert listed.returncode == 0 and listed.stdout.startswith("Ana: 5 session(s)"), listed.stderr
    for command in (["forget", "Ana", "--yes"], ["analyze", str(PHOTO), "--client", "Ana", "--save"]):
        line = refused(posture(*command, "--db", str(path)), path)
        assert "cannot be written because the file or its folder is read-only, so nothing was saved" in line
        assert line.endswith(": make them writable, or choose another file with --db.")
    assert len(Store(path).sessions(1)) == 5


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="needs root to mount a tmpfs")
def test_analyze_save_on_a_full_disk_says_so_and_keeps_the_sessions(tmp_path):
    folder = tmp_path / f"full-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = folder / "records.sqlite3"
        filled(path)
        with open(folder / "filler", "wb", buffering=0) as filler:  # the rest of the disk
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
        line = refused(posture("analyze", str(PHOTO), "--client", "Ana", "--save", "--db", str(path)), path)
        assert "could not be written because the disk is full, so nothing of this change was saved" in line
        assert line.endswith(": free some space and try again.")
        assert len(Store(path).sessions(1)) == 5
    finally:
        subprocess.run(["umount", str(folder)])
