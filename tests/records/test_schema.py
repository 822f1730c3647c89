"""Schema versions: a database made by the first version opens in this one, unchanged; the
Alembic revisions are the numbered steps of the first releases."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.script import ScriptDirectory

from posture.records import NewerDatabase, Store, StoreError, schema
from posture.records.database import Database
from posture.records.migrations import FOLDER
from posture.records.migrations.versions.step1_clients import SQLITE


def version_1_database(path) -> None:
    """A database as the first release wrote it: schema step 1 only (its SQL, kept in revision
    1 for SQLite), ``user_version`` 1 and no ``alembic_version``, one client, one session."""
    with sqlite3.connect(path) as conn:
        conn.executescript(";\n".join(SQLITE) + ";\nPRAGMA user_version = 1;")
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
    conn.close()


def release_file(path, version: int) -> None:
    """An empty file as the release of schema ``version`` wrote it: the revisions up to it (the
    old numbered steps), ``user_version`` set, no ``alembic_version`` table."""
    db = Database(path)
    db.exists(write=True)
    with db.connect() as conn:
        schema.migrate(conn, db.transaction, target=version)
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.commit()


def stamps(path) -> tuple[int, list[str]]:
    """The file's ``user_version`` and its ``alembic_version`` rows (none when it has no table)."""
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = (
            [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
    conn.close()
    return version, rows


def test_the_revisions_are_one_line_numbered_like_the_versions():
    script = ScriptDirectory(str(FOLDER))
    assert script.get_heads() == [f"{schema.VERSION:04d}"]
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain == ["0001", "0002", "0003", "0004"]


def test_a_version_1_database_opens_upgraded_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    version_1_database(path)
    assert stamps(path) == (1, [])
    store = Store(path)
    assert store.schema_version() == schema.VERSION > 1
    assert stamps(path) == (4, ["0004"])
    client = store.client("old client")
    assert (client.name, client.birth_year, client.notes) == ("Old Client", 1970, "from v1")
    (session,) = store.sessions(client.id)
    assert session.measures == {"pelvic_tilt": 21.5, "lumbar_lordosis": None}
    assert session.reasons == {"lumbar_lordosis": "arm over the back"}
    assert session.corrected == frozenset() and session.tilt_class == "anterior"
    assert session.taken == "2025-01-05T10:00:00+01:00" and session.exercises == ()
    assert session.tilt_method is None and store.setting("trainer_name", "none") == "none"


def test_a_release_file_is_stamped_then_upgraded(tmp_path):
    path = tmp_path / "v3.sqlite3"
    release_file(path, 3)
    assert stamps(path) == (3, [])
    Store(path).set_setting("trainer_name", "Kim")
    assert stamps(path) == (schema.VERSION, [f"{schema.VERSION:04d}"])
    assert Store(path).setting("trainer_name") == "Kim"


def test_an_upgraded_file_has_the_columns_of_every_step(tmp_path):
    path = tmp_path / "new.sqlite3"
    Store(path).add_client("Ana")
    assert stamps(path) == (schema.VERSION, [f"{schema.VERSION:04d}"])
    with sqlite3.connect(path) as conn:
        measures = {row[1] for row in conn.execute("PRAGMA table_info(measures)")}
        sessions = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
    conn.close()
    assert {"corrected", "original"} <= measures
    assert {"tilt_method", "tilt_estimate", "tilt_markers"} <= sessions


def test_a_failed_revision_leaves_the_database_at_its_version(tmp_path):
    """Revision 3 makes the settings table: a version-2 file that has one already (the crash of
    issue 19, 'table settings already exists') is refused and left at version 2."""
    path = tmp_path / "db.sqlite3"
    version_1_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE measures ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0")
        conn.execute("ALTER TABLE measures ADD COLUMN original REAL")
        conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    with pytest.raises(StoreError, match="table settings already exists"):
        Store(path).clients()
    assert stamps(path) == (2, [])
    with sqlite3.connect(path) as conn:
        sessions = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
    conn.close()
    assert "tilt_method" not in sessions


def test_a_database_from_a_newer_posture_is_refused_not_damaged(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.close()
    with pytest.raises(NewerDatabase, match="newer"):
        Store(path).clients()
