"""The records commands: history (text, CSV, JSON), clients, forget; --db everywhere."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from posture.cli import records as command
from posture.records import Store, draft
from tests.records.test_store import at, measured


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="posture")
    command.add_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def run(argv: list[str], answer: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = command.run(parse(argv), out=out, ask=lambda prompt: answer)
    return code, out.getvalue()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "records.sqlite3"
    store = Store(path)
    client = store.add_client("Ana P.")
    # Saved newest first: the command must still list them oldest first.
    for day, tilt in ((24, 11.0), (3, 22.0), (10, 17.0)):
        originals = {"trunk_inclination": 1.0} if day == 10 else None
        store.add_session(
            client.id,
            draft(
                measured({"pelvic_tilt": tilt, "trunk_inclination": 3.0}), taken=at(day), originals=originals
            ),
        )
    return str(path)


def test_history_csv_is_one_row_per_session_oldest_first(db):
    code, text = run(["history", "ana p.", "--csv", "--db", db])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["date"][:10] for r in rows] == ["2026-10-03", "2026-10-10", "2026-10-24"]
    assert [r["pelvic_tilt"] for r in rows] == ["22", "17", "11"]
    assert [r["tilt_class"] for r in rows] == ["neutral"] * 3
    assert [r["confidence"] for r in rows] == ["0.8"] * 3
    assert [r["trunk_inclination_corrected"] for r in rows] == ["0", "1", "0"]


def test_history_text_and_json(db):
    code, text = run(["history", "Ana P.", "--db", db])
    lines = text.splitlines()
    assert code == 0 and lines[0] == "Ana P.: 3 session(s), oldest first"
    assert lines[1].startswith("3 Oct 2026, 09:00  neutral (80%)  tilt +22°")
    assert "trunk lean +3°*" in lines[2] and "corrected by hand" in lines[2]
    data = json.loads(run(["history", "Ana P.", "--json", "--db", db])[1])
    assert [s["measures"]["pelvic_tilt"] for s in data["sessions"]] == [22.0, 17.0, 11.0]


def test_clients_lists_names_with_session_counts(db, tmp_path):
    code, text = run(["clients", "--db", db])
    assert code == 0 and text == "Ana P.: 3 session(s), 3 Oct 2026 to 24 Oct 2026, no photos stored\n"
    assert json.loads(run(["clients", "--json", "--db", db])[1])["clients"][0]["sessions"] == 3
    empty = tmp_path / "none.sqlite3"
    assert run(["clients", "--db", str(empty)])[1].startswith("No clients")
    assert not empty.exists()  # listing creates no database


def test_unknown_client_exits_1(db):
    assert run(["history", "Nobody", "--db", db])[0] == command.EXIT_NOT_FOUND


def test_forget_asks_first_and_keeps_everything_unless_confirmed(db):
    assert run(["forget", "Ana P.", "--db", db], answer="n")[0] == command.EXIT_NOT_FOUND
    assert len(Store(db).clients()) == 1
    code, text = run(["forget", "Ana P.", "--db", db], answer="y")
    assert code == 0 and "3 session(s)" in text
    assert Store(db).clients() == []


def test_forget_yes_skips_the_question(db):
    def never(prompt):
        raise AssertionError("asked")

    out = io.StringIO()
    assert command.run(parse(["forget", "ana p.", "--yes", "--db", db]), out=out, ask=never) == 0
    assert b"Ana P." not in open(db, "rb").read()


def test_history_csv_writes_a_formula_note_as_text(tmp_path):
    path = tmp_path / "records.sqlite3"
    store = Store(path)
    client = store.add_client("Eve")
    note = '=HYPERLINK("http://x","x")'
    store.add_session(client.id, draft(measured({"pelvic_tilt": -4.2}), taken=at(3), notes=note))
    code, text = run(["history", "Eve", "--csv", "--db", str(path)])
    (row,) = csv.DictReader(io.StringIO(text))
    assert code == 0 and row["notes"] == "'" + note and row["pelvic_tilt"] == "-4.2"


def test_posture_history_csv_run_as_a_command_writes_formula_notes_as_text(tmp_path):
    path = tmp_path / "records.sqlite3"
    store = Store(path)
    client = store.add_client("Eve")
    notes = ['=HYPERLINK("http://x","x")', "+1+1", "@SUM(A1)", "\tcmd", "-2+3"]
    for day, note in enumerate(notes, 1):
        store.add_session(client.id, draft(measured({"pelvic_tilt": -4.2}), taken=at(day), notes=note))
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "posture.cli", "history", "Eve", "--csv", "--db", str(path)],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["notes"] for r in rows] == ["'" + n for n in notes]
    assert {r["pelvic_tilt"] for r in rows} == {"-4.2"}
