"""Schema versions: a database made by the first version opens in this one, unchanged."""

from __future__ import annotations

import sqlite3

import pytest

from posture.records import NewerDatabase, Store, schema


def version_1_database(path) -> None:
    """A database as the first release wrote it: schema step 1 only, one client, one session."""
    with sqlite3.connect(path) as conn:
        conn.executescript(schema.MIGRATIONS[0] + "PRAGMA user_version = 1;")
        conn.execute(
            "INSERT INTO clients (id, name, birth_year, notes, photo_consent, created) "
            "VALUES (1, 'Old Client', 1970, 'from v1', 0, '2025-01-05T10:00:00+01:00')"
        )
        conn.execute(
            "INSERT INTO sessions (id, client_id, taken, taken_utc, saved, tilt_class, "
            "tilt_degrees, confidence, image_width, image_height, model, version) VALUES "
            "(1, 1, '2025-01-05T10:00:00+01:00', '2025-01-05T09:00:00+00:00', "
            "'2025-01-05T10:01:00+01:00', 'anterior', 21.5, 0.7, 600, 800, "
            "'pose_landmarker_full.task', '0.1.0')"
        )
        conn.executemany(
            "INSERT INTO measures (session_id, name, value, unit, reason) VALUES (1, ?, ?, ?, ?)",
            [("pelvic_tilt", 21.5, "deg", None), ("lumbar_lordosis", None, "deg", "arm over the back")],
        )


def test_a_version_1_database_opens_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    version_1_database(path)
    store = Store(path)
    assert store.schema_version() == schema.VERSION > 1
    client = store.client("old client")
    assert (client.name, client.birth_year, client.notes) == ("Old Client", 1970, "from v1")
    (session,) = store.sessions(client.id)
    assert session.measures == {"pelvic_tilt": 21.5, "lumbar_lordosis": None}
    assert session.reasons == {"lumbar_lordosis": "arm over the back"}
    assert session.corrected == frozenset() and session.tilt_class == "anterior"
    assert session.taken == "2025-01-05T10:00:00+01:00" and session.exercises == ()


def test_every_step_applies_on_an_empty_file_in_order(tmp_path):
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    assert schema.migrate(conn) == 0
    assert schema.version(conn) == schema.VERSION
    columns = {row[1] for row in conn.execute("PRAGMA table_info(measures)")}
    assert {"corrected", "original"} <= columns
    conn.close()


def test_a_failed_step_leaves_the_database_at_its_version(tmp_path, monkeypatch):
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    schema.migrate(conn, target=1)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1] + ("ALTER TABLE nope ADD x;",))
    monkeypatch.setattr(schema, "VERSION", 2)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn)
    assert schema.version(conn) == 1
    conn.close()


def test_a_database_from_a_newer_posture_is_refused_not_damaged(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    with pytest.raises(NewerDatabase, match="newer"):
        Store(path).clients()
