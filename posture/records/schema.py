"""The records database's schema: numbered SQL steps and the code that applies them.

Step *n* of ``MIGRATIONS`` turns a database at version *n - 1* into version *n*; the version a
database is at is kept in SQLite's ``PRAGMA user_version`` (0 for a new, empty file). Each step
runs in one transaction together with the new ``user_version``, so a failed step leaves the
database at the version it had. Steps are never edited once released: a change is a new step.

Conventions of the stored values
--------------------------------
* Times are ISO 8601 local date-times **with their UTC offset** ("2026-11-12T09:30:00+01:00"),
  as the trainer saw the clock; ``taken_utc`` repeats the session time in UTC for ordering.
* Measures are in the units of ``posture.measures.CONVENTIONS`` (degrees, or fractions of
  body height); ``value`` is NULL when the measure could not be made, with its ``reason``.
* Images are bytes: ``photo`` is a JPEG (only for clients who consented), ``silhouette`` a
  small grayscale PNG of the person's outline (no face, no clothes, no background).
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: clients, sessions, their measures and images.
    """
    CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
        notes TEXT NOT NULL DEFAULT '',
        photo_consent INTEGER NOT NULL DEFAULT 0 CHECK (photo_consent IN (0, 1)),
        created TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        taken TEXT NOT NULL,
        taken_utc TEXT NOT NULL,
        saved TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'photo',
        photo_name TEXT NOT NULL DEFAULT '',
        tilt_class TEXT,
        tilt_degrees REAL,
        confidence REAL,
        kendall TEXT,
        facing TEXT,
        image_width INTEGER NOT NULL,
        image_height INTEGER NOT NULL,
        landmarks TEXT,
        routine_id TEXT,
        routine_title TEXT,
        exercises TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        version TEXT NOT NULL
    );
    CREATE INDEX sessions_by_client ON sessions(client_id, taken_utc);
    CREATE TABLE measures (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL,
        unit TEXT NOT NULL,
        reason TEXT,
        PRIMARY KEY (session_id, name)
    );
    CREATE TABLE images (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'silhouette')),
        mime TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (session_id, kind)
    );
    """,
    # 2: hand correction. A corrected measure keeps the value the analyzer found in `original`.
    """
    ALTER TABLE measures ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0
        CHECK (corrected IN (0, 1));
    ALTER TABLE measures ADD COLUMN original REAL;
    """,
    # 3: the workspace's own settings (the trainer's name printed on reports).
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)

VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


class NewerDatabase(RuntimeError):
    """The database was made by a newer version of posture than this one."""


def version(conn: sqlite3.Connection) -> int:
    """The schema version of an open database (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Apply the steps after the database's version up to ``target``; returns the old version.

    Raises ``NewerDatabase`` when the file is at a version this code does not know.
    """
    found = version(conn)
    if found > VERSION:
        raise NewerDatabase(
            f"this records database has schema version {found}, newer than this posture "
            f"understands ({VERSION}): update posture, or choose another database with --db"
        )
    for number in range(found + 1, target + 1):
        try:
            conn.executescript(f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
    return found
