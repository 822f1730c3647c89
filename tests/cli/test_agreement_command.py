"""``posture agreement --db PATH`` run as a command on a database built here: the figures over
every client's marker sessions, as text and JSON, the plot file, and the message without any."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from posture.records import Store, draft
from tests.records.test_agreement import marker_analysis
from tests.records.test_store import at
from tests.records.test_tilt_method import version_3_database, without_markers

REPO = Path(__file__).resolve().parents[2]


def posture(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "posture.cli", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )


@pytest.fixture
def db(tmp_path) -> Path:
    """Two clients: Ana with a markerless session and two marker sessions (estimate − markers
    +1° and +3°), Ben with one marker session (+5°): differences 1, 3, 5."""
    path = tmp_path / "records.sqlite3"
    store = Store(path)
    ana, ben = store.add_client("Ana"), store.add_client("Ben")
    store.add_session(ana.id, draft(without_markers(30.0), taken=at(2)))
    store.add_session(ana.id, draft(marker_analysis(10.0, 11.0), taken=at(3)))
    store.add_session(ana.id, draft(marker_analysis(20.0, 23.0), taken=at(4)))
    store.add_session(ben.id, draft(marker_analysis(-4.0, 1.0), taken=at(5)))
    return path


def test_the_table_gives_count_bias_and_limits_over_all_clients(db):
    done = posture("agreement", "--db", str(db))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "over 3 saved marker sessions" in lines[0]
    assert "  sessions: 3 (of 2 client(s))" in lines
    assert "  bias: +3.0° (95% CI -2.0° to +8.0°)" in lines
    assert "  SD of the differences: 2.0°" in lines
    assert "  95% limits of agreement: -0.9° to +6.9°" in lines


def test_json_and_the_plot_file(db, tmp_path):
    plot = tmp_path / "ba.svg"
    done = posture("agreement", "--json", "--svg", str(plot), "--db", str(db))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (
        data["sessions"] == 3
        and data["clients"] == 2
        and data["bias"] == pytest.approx(3.0)
        and data["sd"] == pytest.approx(2.0)
    )
    assert data["limits_of_agreement"] == pytest.approx([-0.92, 6.92])
    assert sorted(p["difference"] for p in data["pairs"]) == pytest.approx([1.0, 3.0, 5.0])
    root = ET.fromstring(plot.read_text(encoding="utf-8"))
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 3


def test_an_old_database_without_marker_sessions_says_there_are_not_enough(tmp_path):
    path = tmp_path / "old.sqlite3"
    version_3_database(path)  # version 3: saved before the method was stored
    done = posture("agreement", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Markerless estimate against skin markers: not enough sessions: no saved session has a "
        "marker tilt and a markerless estimate (save sessions analysed with the two skin stickers)."
    )
    data = json.loads(posture("agreement", "--json", "--db", str(path)).stdout)
    assert data["sessions"] == 0 and data["bias"] is None and data["reason"].startswith("not enough")


def test_a_missing_database_is_not_created(tmp_path):
    path = tmp_path / "nowhere" / "records.sqlite3"
    done = posture("agreement", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert "not enough sessions" in done.stdout
    assert not path.parent.exists()


def test_a_plot_path_that_cannot_be_written_is_one_sentence_and_exit_2(db, tmp_path):
    done = posture("agreement", "--svg", str(tmp_path / "no" / "such" / "dir" / "ba.svg"), "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.startswith("posture: --svg: cannot write") and "Traceback" not in done.stderr
