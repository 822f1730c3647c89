"""``posture analyze --client NAME --save`` with the real model, then history, clients, forget."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from posture.cli.main import main
from posture.records import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def dated_photo(tmp_path) -> Path:
    """A project sample with an EXIF date and offset, as a phone writes them."""
    from PIL import Image

    image = Image.open(REPO / "samples" / "synthetic_neutral.jpg")
    exif = image.getexif()
    exif.get_ifd(0x8769).update({36867: "2026:10:05 08:15:00", 36881: "-03:00"})
    path = tmp_path / "neutral.jpg"
    image.save(path, quality=95, exif=exif)
    return path


def test_analyze_save_stores_dated_sessions_and_history_lists_them(
    dated_photo, database, capsys, monkeypatch
):
    db = database  # an SQLite file, then a PostgreSQL URL
    undated = REPO / "samples" / "synthetic_anterior_tilt.jpg"
    assert (
        main(
            ["analyze", str(dated_photo), str(undated), "--client", "Ana P.", "--save", "--db", db, "--json"]
        )
        == 0
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["saved"] == {
        "client": "Ana P.",
        "date": "2026-10-05T08:15:00-03:00",
        "photo_stored": False,
    }
    assert lines[1]["saved"]["client"] == "Ana P."  # dated now: no EXIF date

    assert main(["history", "ana p.", "--csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and rows[0]["date"] == "2026-10-05T08:15:00-03:00"
    assert rows[0]["tilt_class"] in {"anterior", "neutral", "posterior"}
    assert rows[0]["routine"] and rows[0]["trunk_inclination_corrected"] == "0"
    (session, _) = Store(db).sessions(Store(db).client("Ana P.").id)
    assert session.has_silhouette and not session.has_photo and session.source == "command"

    monkeypatch.setenv("POSTURE_DATABASE_URL", db)
    assert main(["clients"]) == 0  # the database named by the environment
    assert capsys.readouterr().out.startswith("Ana P.: 2 session(s)")
    assert main(["forget", "Ana P.", "--yes", "--db", db]) == 0
    assert Store(db).clients() == []


def test_save_needs_a_client_and_a_client_needs_save(tmp_path):
    with pytest.raises(SystemExit) as raised:
        main(["analyze", "x.jpg", "--save", "--db", str(tmp_path / "r.sqlite3")])
    assert raised.value.code == 2
    with pytest.raises(SystemExit):
        main(["analyze", "x.jpg", "--client", "Ana"])
    assert not (tmp_path / "r.sqlite3").exists()


def test_forget_without_a_terminal_deletes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "r.sqlite3"
    Store(db).add_client("Ana")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer: EOF
    assert main(["forget", "Ana", "--db", str(db)]) == 1
    assert [c.name for c in Store(db).clients()] == ["Ana"]
