"""A client's history: the CSV contract, JSON, the trend and the chart's band; session dates."""

from __future__ import annotations

import csv
import io
import json

import pytest

from posture.records import Store, dates, draft, history
from tests.records.test_store import at, measured


@pytest.fixture
def sessions(database):
    store = Store(database)
    client = store.add_client("Ana")
    for day, tilt, lean, originals in (
        (3, 22.0, 2.0, None),
        (10, 17.0, 1.0, {"trunk_inclination": 3.0}),
        (24, 11.5, 0.5, None),
    ):
        store.add_session(
            client.id,
            draft(
                measured(
                    {
                        "pelvic_tilt": tilt,
                        "trunk_inclination": lean,
                        "lumbar_lordosis": None if day == 10 else 40.0,
                    }
                ),
                taken=at(day),
                originals=originals,
            ),
        )
    return store.sessions(client.id)


def test_history_csv_has_one_row_per_session_oldest_first_with_the_contract_columns(sessions):
    text = history.history_csv(sessions)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    header = text.splitlines()[0].split(",")
    assert header[:5] == ["date", "tilt_class", "confidence", "kendall_type", "routine"]
    assert header[-3:] == ["notes", "model", "version"]
    first = list(sessions[0].measures)[0]
    assert header[5:7] == [first, f"{first}_corrected"]
    assert [r["date"] for r in rows] == [
        "2026-10-03T09:00:00+01:00",
        "2026-10-10T09:00:00+01:00",
        "2026-10-24T09:00:00+01:00",
    ]
    assert [r["pelvic_tilt"] for r in rows] == ["22", "17", "11.5"]
    assert [r["trunk_inclination_corrected"] for r in rows] == ["0", "1", "0"]
    assert [r["pelvic_tilt_corrected"] for r in rows] == ["0", "0", "0"]
    assert rows[1]["lumbar_lordosis"] == ""  # not measured: empty, never 0
    assert rows[0]["tilt_class"] == "neutral" and rows[0]["confidence"] == "0.8"


def test_history_json_lists_sessions_with_corrections(sessions):
    data = json.loads(history.history_json(sessions, client="Ana"))
    assert data["client"] == "Ana" and len(data["sessions"]) == 3
    assert data["sessions"][1]["corrected"] == ["trunk_inclination"]
    assert data["sessions"][1]["measures"]["lumbar_lordosis"] is None


def test_trend_calls_a_change_real_only_beyond_the_error(sessions):
    tilt = history.trend(sessions, "pelvic_tilt", error=12.0)
    assert (tilt.first, tilt.last, tilt.change, tilt.real) == (22.0, 11.5, -10.5, False)
    assert history.trend(sessions, "pelvic_tilt", error=10.0).real is True
    assert history.trend(sessions, "pelvic_tilt", error=None).real is None
    assert history.trend(sessions[:1], "pelvic_tilt", error=5.0).change is None
    lumbar = history.trend(sessions, "lumbar_lordosis", error=5.0)
    assert lumbar.count == 2 and lumbar.change == 0.0


def test_chart_series_and_error_band(sessions):
    rows = history.series(sessions, ["pelvic_tilt", "lumbar_lordosis"], {"pelvic_tilt": "Tilt"})
    assert [(r["session"], r["measure"]) for r in rows] == [
        (1, "Tilt"),
        (1, "lumbar_lordosis"),
        (2, "Tilt"),
        (3, "Tilt"),
        (3, "lumbar_lordosis"),
    ]
    band = history.error_band(sessions, "pelvic_tilt", 12.0, "Tilt")
    assert band == {"measure": "Tilt", "low": 10.0, "high": 34.0, "first": 22.0}
    assert history.error_band(sessions, "pelvic_tilt", None) is None


@pytest.mark.parametrize(
    "original, offset, expected",
    [
        ("2026:11:12 09:30:00", "+01:00", "2026-11-12T09:30:00+01:00"),
        ("2026:06:01 18:05:59", "-04:00", "2026-06-01T18:05:59-04:00"),
        ("2026:11:12 09:30:00\x00", "+01:00\x00", "2026-11-12T09:30:00+01:00"),
    ],
)
def test_exif_dates_keep_the_camera_offset(original, offset, expected):
    assert dates.iso(dates.exif_datetime(original, offset)) == expected


@pytest.mark.parametrize("original", [None, "", "0000:00:00 00:00:00", "    :  :     :  :  ", "yesterday"])
def test_missing_or_blank_exif_dates_give_none(original):
    assert dates.exif_datetime(original) is None


def test_exif_date_without_offset_is_local_time_and_stored_times_sort_in_utc():
    moment = dates.exif_datetime("2026:11:12 09:30:00")
    assert moment.tzinfo is not None and (moment.hour, moment.minute) == (9, 30)
    assert dates.utc("2026-11-12T09:30:00+01:00") == "2026-11-12T08:30:00+00:00"
    assert dates.local_text("2026-11-02T09:05:00+01:00") == "2 Nov 2026, 09:05"
    with pytest.raises(ValueError):
        dates.parse("2026-11-12T09:30:00")
    assert dates.iso(dates.now_local()).count(":") >= 3
    assert dates.now_local().utcoffset() is not None


def test_progress_chart_draws_a_panel_per_measure_with_the_band_and_hollow_corrected_points(sessions):
    from posture.records.chart import Panel, progress_svg

    svg = progress_svg(
        sessions,
        [
            Panel("pelvic_tilt", "Pelvic tilt (°)", 12.0),
            Panel("trunk_inclination", "Trunk lean (°)", None),
            Panel("head_forward_missing", "Nothing", 1.0),
        ],
    )
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert "within error of the first (±12)" in svg
    assert svg.count('fill="#ffffff" stroke') == 1  # the one corrected trunk lean
    assert "3 Oct 2026" in svg and "24 Oct 2026" in svg and "Nothing" not in svg


FORMULAS = ['=HYPERLINK("http://x","x")', "+1+1", "@SUM(A1)", "\tcmd", "-2+3", "\rcmd", " =1+1"]


@pytest.mark.parametrize("note", FORMULAS)
def test_history_csv_writes_a_note_that_could_run_as_a_formula_as_text(tmp_path, note):
    store = Store(tmp_path / "records.sqlite3")
    client = store.add_client("Ana")
    store.add_session(client.id, draft(measured({"pelvic_tilt": -4.2}), taken=at(3), notes=note))
    (row,) = csv.DictReader(io.StringIO(history.history_csv(store.sessions(client.id))))
    assert row["notes"] == "'" + note.replace("\r", "\n")  # a CR would split the row
    assert row["pelvic_tilt"] == "-4.2"  # a number stays a number


@pytest.mark.parametrize("note", ["-3.5", "plain note", "a=b", "", "1+1"])
def test_history_csv_leaves_harmless_notes_alone(tmp_path, note):
    store = Store(tmp_path / "records.sqlite3")
    client = store.add_client("Ana")
    store.add_session(client.id, draft(measured({"pelvic_tilt": 2.0}), taken=at(3), notes=note))
    (row,) = csv.DictReader(io.StringIO(history.history_csv(store.sessions(client.id))))
    assert row["notes"] == note
