"""The records database's schema: numbered SQL steps and the code that applies them.

Step *n* of ``MIGRATIONS`` turns a database at version *n - 1* into version *n*; the version a
database is at is kept in SQLite's ``PRAGMA user_version`` (0 for a new, empty file). The steps
due run in one transaction under SQLite's write lock, together with the new ``user_version``: a
failed step leaves the database at the version it had, and two processes never run a step twice.
Steps are never edited once released: a change is a new step.

Conventions of the stored values
--------------------------------
* Times are ISO 8601 local date-times **with their UTC offset** ("2026-11-12T09:30:00+01:00"),
  as the trainer saw the clock; ``taken_utc`` repeats the session time in UTC for ordering.
* Measures are in the units of ``posture.measures.CONVENTIONS`` (degrees, or fractions of
  body height); ``value`` is NULL when the measure could not be made, with its ``reason``.
* Pelvic tilt angles (``tilt_degrees``, ``tilt_estimate``, ``tilt_markers``) are degrees,
  anterior positive; ``tilt_method`` says which of the two ``tilt_degrees`` is.
* Images are bytes: ``photo`` is a JPEG (only for clients who consented), ``silhouette`` a
  small grayscale PNG of the person's outline (no face, no clothes, no background).
"""

from __future__ import annotations

import sqlite3

from posture.records.errors import ForeignDatabase, NewerDatabase, damaged

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
    # 4: where the pelvic tilt came from. `tilt_method` is 'markers' (two skin stickers) or
    # 'estimate' (markerless), NULL for sessions saved before this step (shown as 'estimate');
    # `tilt_estimate` is the markerless estimate and `tilt_markers` the marker tilt, degrees,
    # anterior positive, NULL when not made. `tilt_degrees` stays the reported one.
    """
    ALTER TABLE sessions ADD COLUMN tilt_method TEXT
        CHECK (tilt_method IS NULL OR tilt_method IN ('markers', 'estimate'));
    ALTER TABLE sessions ADD COLUMN tilt_estimate REAL;
    ALTER TABLE sessions ADD COLUMN tilt_markers REAL;
    """,
)

VERSION = len(MIGRATIONS)
"""The schema version this code writes."""


def version(conn: sqlite3.Connection) -> int:
    """The schema version of an open database (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Apply the steps after the database's version up to ``target``; returns the old version.

    The steps run under SQLite's write lock (``BEGIN IMMEDIATE``), taken before the version is
    read again: a second process waits, then finds the steps done. ``conn`` must be in
    autocommit (``isolation_level=None``) or have no open transaction.
    Raises ``NewerDatabase`` when the file is at a version this code does not know, and
    ``ForeignDatabase`` when a file at version 0 already has tables (another program's
    database: nothing is added to it).
    """
    found = version(conn)
    _check(conn, found)
    if found >= target:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = version(conn)
        _check(conn, found)
        if found == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise ForeignDatabase(_file(conn))
        for number in range(found + 1, target + 1):
            for statement in statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return found


def statements(script: str) -> list[str]:
    """A step's SQL split into whole statements (``sqlite3.complete_statement``)."""
    found, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\n;"):
                found.append(current.strip())
            current = ""
    if current.strip(" \t\n;"):
        found.append(current.strip().rstrip(";"))
    return found


def _check(conn: sqlite3.Connection, found: int) -> None:
    if found < 0:
        raise damaged(_file(conn))  # no posture writes a negative version
    if found > VERSION:
        raise NewerDatabase(_file(conn), found, VERSION)


def _file(conn: sqlite3.Connection) -> str:
    """The file of the connection's main database."""
    return next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
