"""The records store: clients, sessions, consent, forgetting, and nothing written until a save."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from posture.records import ClientExists, Store, UnknownClient, analysis, draft, silhouette
from posture.types import Status
from tests.analyses import analysis as made_analysis

PHOTO = b"\xff\xd8\xff\xe0JPEG-of-the-client" + bytes(range(256)) * 8 + b"\xff\xd9"
NAME = "Zoltan Quirinus"


def person_mask(size=(600, 800)) -> np.ndarray:
    width, height = size
    mask = np.zeros((height, width), np.float32)
    mask[100:750, 250:350] = 1.0
    return mask


def measured(values=None, **kwargs):
    from dataclasses import replace

    return replace(made_analysis(values, **kwargs), mask=person_mask())


def at(day: int, hour: int = 9, offset_hours: int = 1) -> datetime:
    return datetime(2026, 10, day, hour, 0, tzinfo=timezone(timedelta(hours=offset_hours)))


@pytest.fixture
def store(database) -> Store:
    """A new records database on each engine (``tests/records/conftest.py``)."""
    return Store(database)


def test_reading_a_missing_database_creates_nothing(store, tmp_path):
    """No SQLite file and folder, no PostgreSQL table."""
    assert store.clients() == []
    assert store.sessions(1) == []
    assert store.schema_version() == 0
    with pytest.raises(UnknownClient):
        store.client("nobody")
    assert not (tmp_path / "data").exists()


def test_a_client_is_found_by_name_whatever_the_case_and_names_are_unique(store):
    client = store.add_client("  Ana   P. ", birth_year=1984, notes="knee op 2019")
    assert client.name == "Ana P." and client.birth_year == 1984 and not client.photo_consent
    assert store.client("ana p.").id == client.id
    with pytest.raises(ClientExists):
        store.add_client("ANA P.")
    with pytest.raises(ValueError):
        store.add_client("   ")
    assert [c.name for c in store.clients()] == ["Ana P."]


def test_the_database_file_is_private_to_its_user(tmp_path):
    store = Store(tmp_path / "data" / "records.sqlite3")
    store.add_client("Ana")
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert store.path.parent.stat().st_mode & 0o777 == 0o700


def test_sessions_come_back_oldest_first_with_measures_and_corrections(store):
    client = store.add_client("Ana")
    # Saved out of order, and across a change of UTC offset (summer to winter time).
    store.add_session(client.id, draft(measured({"pelvic_tilt": 12.0}), taken=at(20, offset_hours=1)))
    first = store.add_session(client.id, draft(measured({"pelvic_tilt": 15.0}), taken=at(6, offset_hours=2)))
    corrected = draft(
        measured({"pelvic_tilt": 9.0, "trunk_inclination": 4.0}),
        taken=at(27),
        originals={"trunk_inclination": 7.5},
        notes="moved the hip",
    )
    store.add_session(client.id, corrected)
    sessions = store.sessions(client.id)
    assert [s.measures["pelvic_tilt"] for s in sessions] == [15.0, 12.0, 9.0]
    assert sessions[0].id == first.id and sessions[0].taken == "2026-10-06T09:00:00+02:00"
    last = sessions[-1]
    assert last.corrected == {"trunk_inclination"} and last.originals == {"trunk_inclination": 7.5}
    assert last.measures["trunk_inclination"] == 4.0 and last.notes == "moved the hip"
    assert last.tilt_class == "neutral" and last.confidence == pytest.approx(0.8)
    assert last.units["pelvic_tilt"] == "deg"


def test_a_photo_is_stored_only_for_a_client_who_consented(store):
    without = store.add_client("No photos")
    with_consent = store.add_client("Photos fine", photo_consent=True)
    kept = [store.add_session(c.id, draft(measured(), photo=PHOTO)) for c in (without, with_consent)]
    assert not kept[0].has_photo and store.image(kept[0].id, "photo") is None
    assert kept[1].has_photo and store.image(kept[1].id, "photo") == PHOTO
    assert all(s.has_silhouette for s in kept)  # the face-free outline is kept for both


def test_withdrawing_consent_deletes_the_stored_photos(store, stored_bytes):
    client = store.add_client("Ana", photo_consent=True)
    session = store.add_session(client.id, draft(measured(), photo=PHOTO))
    store.update_client(client.id, photo_consent=False)
    assert store.image(session.id, "photo") is None
    assert store.image(session.id, "silhouette") is not None
    assert PHOTO[:40] not in stored_bytes(store)


def test_forgetting_a_client_leaves_no_row_no_file_and_no_trace_in_the_database(store, stored_bytes):
    keep = store.add_client("Other client")
    store.add_session(keep.id, draft(measured()))
    client = store.add_client(NAME, photo_consent=True, notes="private note xyzzy")
    for day in (1, 8, 15):
        store.add_session(
            client.id, draft(measured(), taken=at(day), photo=PHOTO, notes="session note plugh")
        )
    before = stored_bytes(store)
    assert NAME.encode() in before and PHOTO[:40] in before and b"plugh" in before

    assert store.forget(client.id) == 3

    with store.db.connect() as conn:
        counts = {
            table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("clients", "sessions", "measures", "images")
        }
    assert counts == {
        "clients": 1,
        "sessions": 1,
        "measures": len(measured().measures),
        "images": 1,
    }  # the other client's silhouette
    data = stored_bytes(store)
    for secret in (NAME.encode(), b"xyzzy", b"plugh", PHOTO[:40]):
        assert secret not in data
    if store.path is not None:  # no journal or WAL file beside the SQLite file
        assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]
    with pytest.raises(UnknownClient):
        store.client(NAME)


def test_a_saved_session_comes_back_as_an_analysis_for_the_comparison_views(store):
    client = store.add_client("Ana")
    original = measured({"pelvic_tilt": 14.0, "lumbar_lordosis": None})
    session = store.add_session(client.id, draft(original))
    back = analysis(session, silhouette_png=store.image(session.id, "silhouette"))
    assert back.ok and back.measure("pelvic_tilt") == 14.0
    assert back.measures["lumbar_lordosis"].reason == "arm in the way"
    assert back.facing is original.facing
    np.testing.assert_allclose(back.landmarks.xy, original.landmarks.xy, atol=0.01)
    assert back.image.shape == (800, 600, 3) and back.mask.shape == (800, 600)
    # The silhouette is coarse (long side 320 px) but in the right place.
    assert back.mask[400, 300] == 1.0 and back.mask[400, 100] == 0.0


def test_silhouette_png_round_trips_and_has_only_two_levels():
    mask = person_mask()
    data = silhouette.silhouette_png(mask)
    assert data.startswith(b"\x89PNG")
    gray = silhouette.read_png(data)
    assert max(gray.shape) == silhouette.LONG_SIDE
    assert set(np.unique(gray)) == {silhouette.PERSON, silhouette.BACKGROUND}


def test_a_rejected_photo_cannot_be_saved():
    from dataclasses import replace

    with pytest.raises(ValueError):
        draft(replace(made_analysis(), status=Status.REJECTED))


def test_settings_are_kept_in_the_database(database):
    store = Store(database)
    assert store.setting("trainer_name", "—") == "—"
    assert store.schema_version() == 0  # reading made no tables (and no SQLite file)
    assert store.path is None or not store.path.exists()
    store.set_setting("trainer_name", "Sam Trainer")
    store.set_setting("trainer_name", "Sam T.")
    assert Store(database).setting("trainer_name") == "Sam T."
