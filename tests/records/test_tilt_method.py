"""The tilt's method (stickers or markerless) and both tilt values are saved with a session."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError

from posture.assess.compare import measurement_errors
from posture.assess.errors import shipped
from posture.cli import records as records_command
from posture.records import Store, analysis, draft, history, report, schema
from posture.records.report_pdf import progress_pdf
from posture.types import MarkerReading, Sticker, TiltMethod
from tests.records.test_schema import release_file
from tests.records.test_store import at, measured


def with_markers(marker_tilt: float, estimate: float, **kwargs):
    """A hand-built analysis whose reported tilt (degrees, anterior positive) came from two
    stickers, with the markerless estimate beside it."""
    base = measured({"pelvic_tilt": marker_tilt}, **kwargs)
    reading = MarkerReading(
        asis=Sticker((340.0, 420.0), 6.0, (30, 200, 40)),
        psis=Sticker((260.0, 400.0), 6.0, (30, 200, 40)),
        tilt_degrees=marker_tilt,
        raw_tilt_degrees=marker_tilt - 0.5,
        roll=None,
    )
    assessment = replace(
        base.assessment, tilt_degrees=marker_tilt, method=TiltMethod.MARKERS, estimate_degrees=estimate
    )
    return replace(base, markers=reading, assessment=assessment)


def without_markers(estimate: float):
    base = measured({"pelvic_tilt": estimate})
    return replace(base, assessment=replace(base.assessment, estimate_degrees=estimate))


@pytest.fixture
def store(database) -> Store:
    return Store(database)


def test_a_draft_carries_the_method_and_both_tilts():
    d = draft(with_markers(14.0, 11.5))
    assert (d.tilt_method, d.tilt_degrees, d.tilt_markers, d.tilt_estimate) == ("markers", 14.0, 14.0, 11.5)
    d = draft(without_markers(9.0))
    assert (d.tilt_method, d.tilt_degrees, d.tilt_markers, d.tilt_estimate) == ("estimate", 9.0, None, 9.0)


def test_an_estimate_made_without_a_separate_estimate_figure_is_its_own_estimate():
    d = draft(measured({"pelvic_tilt": 7.0}))  # estimate_degrees left None, method ESTIMATE
    assert (d.tilt_method, d.tilt_markers, d.tilt_estimate) == ("estimate", None, 7.0)


def test_a_marker_session_is_saved_and_read_back_with_its_method(store):
    client = store.add_client("Ana")
    saved = store.add_session(client.id, draft(with_markers(14.0, 11.5), taken=at(5)))
    store.add_session(client.id, draft(without_markers(9.0), taken=at(6)))
    first, second = store.sessions(client.id)
    assert first.id == saved.id
    assert (first.tilt_method, first.method, first.tilt_degrees) == ("markers", "markers", 14.0)
    assert (first.tilt_markers, first.tilt_estimate) == (14.0, 11.5)
    assert (second.tilt_method, second.tilt_markers, second.tilt_estimate) == ("estimate", None, 9.0)
    back = analysis(first).assessment
    assert (back.method, back.tilt_degrees, back.estimate_degrees) == (TiltMethod.MARKERS, 14.0, 11.5)


def test_the_database_refuses_an_unknown_method(store):
    client = store.add_client("Ana")
    store.add_session(client.id, draft(without_markers(9.0)))
    with store.db.connect() as conn, pytest.raises(IntegrityError):
        conn.exec_driver_sql("UPDATE sessions SET tilt_method = 'guess'")


def version_3_database(path) -> None:
    """A database as written before the method was stored: steps 1-3, one session."""
    release_file(path, 3)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO clients (id, name, created) VALUES (1, 'Old Client', '2026-01-05T10:00:00+01:00')"
        )
        conn.execute(
            "INSERT INTO sessions (id, client_id, taken, taken_utc, saved, tilt_class, "
            "tilt_degrees, confidence, image_width, image_height, model, version) VALUES "
            "(1, 1, '2026-01-05T10:00:00+01:00', '2026-01-05T09:00:00+00:00', "
            "'2026-01-05T10:01:00+01:00', 'anterior', 21.5, 0.7, 600, 800, "
            "'pose_landmarker_full.task', '0.1.0')"
        )
        conn.execute(
            "INSERT INTO measures (session_id, name, value, unit) VALUES (1, 'pelvic_tilt', 21.5, 'deg')"
        )


def test_a_version_3_database_upgrades_and_its_sessions_show_as_estimates(tmp_path):
    path = tmp_path / "old.sqlite3"
    version_3_database(path)
    store = Store(path)
    (old,) = store.sessions(1)
    assert store.schema_version() == schema.VERSION >= 4
    assert (old.tilt_method, old.tilt_markers, old.tilt_estimate) == (None, None, None)
    assert old.method == "estimate" and old.tilt_degrees == 21.5
    back = analysis(old).assessment
    assert (back.method, back.estimate_degrees) == (TiltMethod.ESTIMATE, 21.5)
    # New sessions in the upgraded file keep their method.
    new = store.add_session(1, draft(with_markers(3.0, 5.0), taken=at(9)))
    assert (new.tilt_method, new.tilt_markers, new.tilt_estimate) == ("markers", 3.0, 5.0)


# --- the history CSV and the progress report -----------------------------------------------


@pytest.fixture
def mixed(tmp_path):
    """An old session (no method stored), an estimate and a marker session, oldest first."""
    path = tmp_path / "old.sqlite3"
    version_3_database(path)
    store = Store(path)
    store.add_session(1, draft(without_markers(9.0), taken=at(6)))
    store.add_session(1, draft(with_markers(14.0, 11.5), taken=at(20)))
    return store, store.sessions(1)


def test_the_history_csv_has_the_method_and_both_tilts(mixed):
    _, sessions = mixed
    text = history.history_csv(sessions)
    header = text.splitlines()[0].split(",")
    assert header[-6:] == ["tilt_method", "tilt_markers", "tilt_estimate", "notes", "model", "version"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["tilt_method"], r["tilt_markers"], r["tilt_estimate"]) for r in rows] == [
        ("estimate", "", ""),
        ("estimate", "", "9"),
        ("markers", "14", "11.5"),
    ]
    entries = json.loads(history.history_json(sessions))["sessions"]
    assert [(e["tilt_method"], e["tilt_markers"], e["tilt_estimate"]) for e in entries] == [
        ("estimate", None, None),
        ("estimate", None, 9.0),
        ("markers", 14.0, 11.5),
    ]


def test_posture_history_csv_has_the_method(mixed):
    store, _ = mixed
    out = io.StringIO()
    parser = argparse.ArgumentParser(prog="posture")
    records_command.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["history", "old client", "--csv", "--db", str(store.path)])
    assert records_command.run(args, out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["tilt_method"] for r in rows] == ["estimate", "estimate", "markers"]
    assert rows[-1]["tilt_markers"] == "14" and rows[-1]["tilt_estimate"] == "11.5"


def test_the_progress_report_says_which_method_gave_each_tilt(mixed):
    store, sessions = mixed
    assert [r["tilt_from"] for r in report.session_rows(sessions)] == [
        "estimate (no markers)",
        "estimate (no markers)",
        "skin markers",
    ]
    assert report.verdict_line(sessions[-1]) == "Neutral pelvic tilt, +14° from skin markers (confidence 80%)"
    assert report.verdict_line(sessions[1]) == "Neutral pelvic tilt, +9° (confidence 80%)"
    figures = shipped()
    handover = report.Handover(
        client=store.client(1), trainer="", figures=figures, errors=measurement_errors(figures)
    )
    html = report.progress_html(sessions, handover)
    assert "<th>Tilt from</th>" in html and "<td>skin markers</td>" in html
    assert "from skin markers" in html
    assert progress_pdf(sessions, handover).startswith(b"%PDF-")


def test_the_report_chart_marks_marker_sessions_with_a_diamond_and_a_key(mixed):
    from posture.records.chart import MARKER

    _, sessions = mixed
    errors = measurement_errors(shipped())
    svg = report.chart(sessions, errors)
    # One diamond for the one marker session and one in the key; none for the estimates.
    assert svg.count('<polygon points="') == 2 and svg.count(f'fill="{MARKER}"') == 2
    assert "skin markers</text>" in svg and "markerless estimate</text>" in svg
    without = report.chart(sessions[:2], errors)
    assert "<polygon" not in without and "skin markers" not in without
