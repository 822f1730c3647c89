"""The history CSV a trainer downloads: readable headings over the same cells as the coded CSV
the command writes for tools (issue 20, point 6)."""

from __future__ import annotations

import csv
import io

from posture.records import Store, draft, history
from tests.records.test_store import at, measured


def _sessions(tmp_path):
    store = Store(tmp_path / "records.sqlite3")
    client = store.add_client("Ana")
    for day, tilt in ((3, 22.0), (10, 17.0)):
        store.add_session(
            client.id,
            draft(measured({"pelvic_tilt": tilt}), taken=at(day), originals={"trunk_inclination": 3.0}),
        )
    return store.sessions(client.id)


def test_the_downloaded_history_has_readable_headings_over_the_same_cells(tmp_path):
    sessions = _sessions(tmp_path)
    coded = list(csv.reader(io.StringIO(history.history_csv(sessions))))
    readable = list(csv.reader(io.StringIO(history.history_csv(sessions, readable=True))))
    assert readable[1:] == coded[1:]  # the same cells, only the headings differ
    heading = dict(zip(coded[0], readable[0], strict=True))
    assert heading["pelvic_tilt"] == "Pelvic tilt (degrees)"
    assert heading["trunk_inclination_corrected"] == "Trunk lean: corrected by hand (1 = yes)"
    assert heading["hip_offset"] == "Hip vs plumb line (fraction of height)"
    assert heading["sacral_inclination"] == "Slope at the base of the spine (degrees)"
    assert heading["craniovertebral_proxy"] == "Neck angle (degrees)"
    assert heading["date"] == "Date and time (with UTC offset)"
    assert not [h for h in readable[0] if "_" in h]  # old: sacral_inclination, craniovertebral_proxy
    rows = list(csv.DictReader(io.StringIO(history.history_csv(sessions, readable=True))))
    assert [r["Pelvic tilt (degrees)"] for r in rows] == ["22", "17"]
    assert [r["Trunk lean: corrected by hand (1 = yes)"] for r in rows] == ["1", "1"]


def test_the_command_keeps_the_codes_for_tools(tmp_path):
    header = history.history_csv(_sessions(tmp_path)).splitlines()[0].split(",")
    assert header[:3] == ["date", "tilt_class", "confidence"] and "sacral_inclination" in header
