"""The records database's schema version and the code that brings a database to it.

The schema is built by the Alembic revisions of ``posture.records.migrations`` (revision *n*,
id ``"000n"``, makes version *n*). The version of a PostgreSQL database is its
``alembic_version`` row; an SQLite file keeps it in ``PRAGMA user_version`` too (0 for a new,
empty file), as the first releases did, so that they refuse a file this one updated. A file of
those releases (version 1 to 4, no ``alembic_version``) is stamped with its version, then
upgraded. The revisions due run in one transaction, under SQLite's write lock or a PostgreSQL
advisory lock, together with the new version: a failed revision leaves the database at the
version it had, and two processes never run a revision twice.

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

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from posture.records.errors import ForeignDatabase, NewerDatabase, damaged

VERSION = 4
"""The schema version this code writes: the number of the last revision in ``migrations``."""

LOCK = 7_203_551_004
"""The PostgreSQL advisory lock held while a database is upgraded (any number, the same in every
process)."""


def version(conn: Connection) -> int:
    """The schema version of an open database (0 for a new, empty one)."""
    if conn.dialect.name == "sqlite":
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
    if not inspect(conn).has_table("alembic_version"):
        return 0
    found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if found is None:
        return 0
    if not found.isdigit():
        raise ForeignDatabase(_where(conn))
    return int(found)


def has_tables(conn: Connection) -> bool:
    """Whether the database (PostgreSQL: its current schema) holds any table."""
    return bool(inspect(conn).get_table_names())


def empty(conn: Connection) -> bool:
    """A database with no table at all (a new PostgreSQL database): nothing to read."""
    return version(conn) == 0 and not has_tables(conn)


def migrate(conn: Connection, transaction, target: int = VERSION) -> int:
    """Apply the revisions after the database's version up to ``target``; returns the old version.

    ``transaction(conn)`` is the store's write transaction (``Database.transaction``); the
    version is read again once it holds the lock: a second process waits, then finds the
    revisions done. Raises ``NewerDatabase`` for a version this code does not know, and
    ``ForeignDatabase`` for a database at version 0 that already has tables (another
    program's: nothing is added to it).
    """
    found = version(conn)
    _check(conn, found)
    if found >= target:
        return found
    with transaction(conn):
        if conn.dialect.name != "sqlite":
            conn.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": LOCK})
        found = version(conn)
        _check(conn, found)
        if found == 0 and has_tables(conn):
            raise ForeignDatabase(_where(conn))
        if found < target:
            _upgrade(conn, found, target)
    return found


def _upgrade(conn: Connection, found: int, target: int) -> None:
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from posture.records.migrations import FOLDER

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    script = ScriptDirectory.from_config(config)
    start, end = (f"{n:04d}" if n else None for n in (found, target))
    if conn.dialect.name == "sqlite":  # the version in user_version is the one to trust
        MigrationContext.configure(conn).stamp(script, start or "base")

    def steps(rev, context):
        return script._upgrade_revs(end, rev)

    with EnvironmentContext(config, script, fn=steps, destination_rev=end) as env:
        env.configure(connection=conn, transaction_per_migration=False)
        env.run_migrations()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {int(target)}")


def _check(conn: Connection, found: int) -> None:
    if found < 0:
        raise damaged(_where(conn))  # no posture writes a negative version
    if found > VERSION:
        raise NewerDatabase(_where(conn), found, VERSION)


def _where(conn: Connection) -> str:
    """The file of an SQLite connection's main database, or the URL without its password."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("PRAGMA database_list").all()
        return next(row[2] for row in rows if row[1] == "main")
    return conn.engine.url.render_as_string(hide_password=True)
