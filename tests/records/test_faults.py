"""Every fault of the records file is a ``StoreError`` whose message is one sentence naming the
file, what happened and what to do; a good file's records are kept, a broken one is left as it is."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import uuid

import pytest

from posture.records import ForeignDatabase, NewerDatabase, Store, StoreError, draft, schema, store
from tests.records.test_schema import version_1_database
from tests.records.test_store import at, measured


def filled(path) -> Store:
    """A database with one client, "Ana", and five sessions at ``path``."""
    records = Store(path)
    client = records.add_client("Ana")
    for day in range(1, 6):
        records.add_session(client.id, draft(measured({"pelvic_tilt": 10.0 + day}), taken=at(day)))
    return records


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(error: StoreError, path) -> str:
    """The message, checked to be one sentence that names the file."""
    text = str(error)
    assert str(path) in text
    rest = text.replace(str(path), "<file>")
    assert rest.startswith("The records file <file> ") and rest.endswith(".") and rest.count(".") == 1, text
    return text


def make_read_only(path, request) -> None:
    """``path`` (file or folder) read-only, also for root (``chattr +i``); undone after the test."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("root, and chattr +i does not work here: cannot make a file read-only")
        request.addfinalizer(lambda: subprocess.run(["chattr", "-i", str(path)]))
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        request.addfinalizer(lambda: path.chmod(mode))


def every_call(path):
    """Each way the app and the command use a store: reading and writing."""
    yield lambda: Store(path).clients()
    yield lambda: Store(path).client("Ana")
    yield lambda: Store(path).sessions(1)
    yield lambda: Store(path).add_client("Bea")
    yield lambda: Store(path).client_named("Ana")
    yield lambda: Store(path).add_session(1, draft(measured({"pelvic_tilt": 1.0}), taken=at(9)))


def broken(tmp_path, how: str):
    path = tmp_path / "records.sqlite3"
    if how == "random bytes":
        path.write_bytes(os.urandom(8192))
        return path
    filled(path)
    if how == "header kept, the rest overwritten":
        data = path.read_bytes()
        path.write_bytes(data[:100] + os.urandom(len(data) - 100))
        return path
    if how == "negative version in the header":
        with open(path, "r+b") as file:
            file.seek(60)  # user_version, a big-endian signed 32-bit integer
            file.write((-7).to_bytes(4, "big", signed=True))
        return path
    keep = {"cut to 100 bytes": 100, "cut to one page": 4096, "cut in half": path.stat().st_size // 2}[how]
    with open(path, "r+b") as file:
        file.truncate(keep)
    return path


@pytest.mark.parametrize(
    "how",
    [
        "cut to 100 bytes",
        "cut to one page",
        "cut in half",
        "random bytes",
        "header kept, the rest overwritten",
        "negative version in the header",
    ],
)
def test_a_damaged_file_is_named_and_left_as_it_is(tmp_path, how):
    path = broken(tmp_path, how)
    before = digest(path)
    for call in every_call(path):
        with pytest.raises(StoreError) as caught:
            call()
        text = one_sentence(caught.value, path)
        assert "is damaged (cut short or overwritten) or is not a records database" in text
        assert text.endswith(": restore it from your backup, or choose another file with --db.")
    assert digest(path) == before


def test_another_programs_database_gets_no_tables(tmp_path):
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()
    before = digest(path)
    for call in every_call(path):
        with pytest.raises(ForeignDatabase) as caught:
            call()
        assert "is a database of another program, not posture records" in one_sentence(caught.value, path)
    assert digest(path) == before


def test_a_read_only_file_is_read_but_not_written(tmp_path, request):
    path = tmp_path / "records.sqlite3"
    filled(path)
    before = digest(path)
    make_read_only(path, request)
    records = Store(path)
    assert len(records.sessions(records.client("Ana").id)) == 5
    for call in list(every_call(path))[3:]:
        with pytest.raises(StoreError) as caught:
            call()
        text = one_sentence(caught.value, path)
        assert "cannot be written because the file or its folder is read-only, so nothing was saved" in text
        assert "make them writable, or choose another file with --db." in text
    assert len(records.sessions(records.client("Ana").id)) == 5
    assert digest(path) == before


def test_a_read_only_file_of_an_older_version_asks_to_be_made_writable_once(tmp_path, request):
    path = tmp_path / "old.sqlite3"
    version_1_database(path)
    before = digest(path)
    make_read_only(path, request)
    for call in (Store(path).clients, lambda: Store(path).add_client("Bea")):
        with pytest.raises(StoreError) as caught:
            call()
        text = one_sentence(caught.value, path)
        assert "was written by an older version of posture and must be updated before it can be read" in text
        assert "(reading the records still works)" not in text
        assert text.endswith(": make them writable once, or choose another file with --db.")
    assert digest(path) == before


def test_a_read_only_folder_is_read_but_not_written(tmp_path, request):
    folder = tmp_path / "data"
    filled(folder / "records.sqlite3")
    make_read_only(folder, request)
    records = Store(folder / "records.sqlite3")
    assert [c.name for c in records.clients()] == ["Ana"]
    for target in (records, Store(folder / "other.sqlite3")):
        with pytest.raises(StoreError, match="is read-only, so nothing was saved"):
            target.add_client("Bea")
    assert [c.name for c in records.clients()] == ["Ana"]
    assert not (folder / "other.sqlite3").exists()


def full_at(path, monkeypatch) -> None:
    """Every connection to ``path`` may not grow the file (SQLite's own "database or disk is
    full", as on a full disk)."""
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_full_file_says_so_and_keeps_what_was_there(tmp_path, monkeypatch):
    path = tmp_path / "records.sqlite3"
    filled(path)
    full_at(path, monkeypatch)
    big = draft(measured({"pelvic_tilt": 1.0}), taken=at(9), notes="x" * 200_000)
    with pytest.raises(StoreError) as caught:
        Store(path).add_session(1, big)
    text = one_sentence(caught.value, path)
    assert "could not be written because the disk is full, so nothing of this change was saved" in text
    assert text.endswith(": free some space and try again.")
    monkeypatch.undo()
    assert [s.measures["pelvic_tilt"] for s in Store(path).sessions(1)] == [11.0, 12.0, 13.0, 14.0, 15.0]
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="needs root to mount a tmpfs")
def test_a_really_full_disk_says_so_and_keeps_every_saved_session(tmp_path):
    folder = tmp_path / f"full-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        records = Store(folder / "records.sqlite3")
        client = records.add_client("Ana")
        saved = 0
        with pytest.raises(StoreError, match="because the disk is full, so nothing of this change was saved"):
            for day in range(1, 2000):
                records.add_session(
                    client.id, draft(measured({"pelvic_tilt": 1.0}), taken=at(1 + day % 28), notes="x" * 4000)
                )
                saved += 1
        assert saved > 0 and len(records.sessions(client.id)) == saved
    finally:
        subprocess.run(["umount", str(folder)])


def test_a_file_kept_busy_by_another_writer_says_try_again(tmp_path, monkeypatch):
    path = tmp_path / "records.sqlite3"
    filled(path)
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            Store(path).add_client("Bea")
        assert "kept busy by another program writing to it, so nothing was saved: try again in a moment." in (
            one_sentence(caught.value, path)
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [c.name for c in Store(path).clients()] == ["Ana"]


def test_a_newer_database_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "records.sqlite3"
    filled(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = digest(path)
    for call in every_call(path):
        with pytest.raises(NewerDatabase) as caught:
            call()
        text = one_sentence(caught.value, path)
        assert (
            "was written by a newer version of posture (records version 999; "
            f"this one knows up to {schema.VERSION})" in text
        )
        assert text.endswith(": update posture, or choose another file with --db.")
    assert digest(path) == before


def test_a_deletion_that_cannot_be_compacted_says_it_was_kept(tmp_path, monkeypatch):
    path = tmp_path / "records.sqlite3"
    filled(path)
    real = sqlite3.connect

    class NoRoomToCompact(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "VACUUM":
                raise sqlite3.OperationalError("database or disk is full")
            return super().execute(sql, *args)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, factory=NoRoomToCompact, **k))
    with pytest.raises(StoreError) as caught:
        Store(path).forget(1)
    text = one_sentence(caught.value, path)
    assert "kept the deletion (the deleted records are overwritten with zeros)" in text
    monkeypatch.undo()
    assert Store(path).clients() == []


def test_a_folder_given_as_the_file_says_so_for_reading_and_writing(tmp_path):
    for call in (Store(tmp_path).clients, lambda: Store(tmp_path).add_client("Bea")):
        with pytest.raises(StoreError) as caught:
            call()
        assert str(caught.value) == (
            f"The records file {tmp_path} is a folder: give a file in it, such as "
            f"{tmp_path / 'records.sqlite3'}, or choose another file with --db."
        )
    assert list(tmp_path.iterdir()) == []
