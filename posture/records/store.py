"""``Store``: clients and their sessions in one SQLite file, through SQLAlchemy Core
(``posture.records.database``).

    store = Store(Path("~/.local/share/posture/records.sqlite3").expanduser())
    client = store.add_client("Ana P.", photo_consent=False)
    store.add_session(client.id, draft)          # a posture.records.entries.Draft
    store.sessions(client.id)                    # oldest first
    store.forget(client.id)                      # every row and image of theirs, gone

``Store(target)`` takes a file path or a database URL (``postgresql+psycopg://…``, a clinic's
shared server; ``posture.records.database``). Nothing is written until a method that saves is
called: reading a database that does not exist (no file; no tables) creates nothing. An SQLite
file is private (0600 in a 0700 folder), with foreign keys (deleting a client cascades to their
sessions, measures and images) and ``secure_delete`` on, in SQLite's rollback journal mode (the
folder holds the one file between calls). ``forget`` then compacts (VACUUM; VACUUM FULL on
PostgreSQL), so the database keeps no trace of a forgotten client.

Several processes may save at once: each write is one transaction (``BEGIN IMMEDIATE`` on
SQLite, waiting up to ``BUSY_SECONDS`` for another's), migrations run under a lock
(``schema.migrate``) and ``client_named`` makes a missing client in the same transaction it
reads it. Every fault (damaged, another program's, read-only, disk full, busy, newer, server
unreachable) is a ``StoreError`` whose message is one sentence with what to do; a damaged,
foreign or newer database is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from posture.records import dates, schema
from posture.records.database import BUSY_SECONDS, Database, unique_violation
from posture.records.entries import Client, Draft, Session
from posture.records.errors import StoreError, fault
from posture.records.rows import clean_name, client_of, insert_session, session_of

__all__ = ["BUSY_SECONDS", "KEEP", "ClientExists", "Store", "UnknownClient"]

KEEP = object()
"""``update_client``'s default for ``birth_year``: leave it as it is (None clears it)."""

ERRORS = (SQLAlchemyError, sqlite3.Error, OSError)


class ClientExists(ValueError):
    """Another client already has this name (names are unique, case-insensitive)."""


class UnknownClient(LookupError):
    """No client with this id or name."""


class Store:
    """The records database at ``target``: a file (its folder is created on the first save) or
    a database URL (``postgresql+psycopg://user@host/name``)."""

    def __init__(self, target: str | os.PathLike[str]):
        self.db = Database(target)
        self.path = self.db.path
        self.where = self.db.where

    def __repr__(self) -> str:
        return f"Store({self.where!r})"

    # --- connections -------------------------------------------------------------------

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[Connection | None]:
        """An open, migrated connection (write inside ``_transaction``); None for a reader when
        there is no database yet. Faults are raised as ``StoreError``."""
        if self.path is not None and self.path.is_dir():
            raise StoreError(
                self.path, "is a folder", f"give a file in it, such as {self.path / 'records.sqlite3'}"
            )
        try:
            if not self.db.exists(write=write):
                yield None
                return
            with self.db.connect() as conn:
                if not write and self.db.postgres and schema.empty(conn):
                    yield None  # no records tables yet: a reader makes none
                    return
                try:
                    schema.migrate(conn, self.db.transaction)
                except ERRORS as error:
                    raise fault(error, self.where, write=write, updating=True) from error
                yield conn
        except ERRORS as error:
            raise fault(error, self.where, write=write) from error

    @contextmanager
    def _transaction(self, conn: Connection) -> Iterator[Connection]:
        """One write transaction (on SQLite holding the write lock from its start)."""
        with self.db.transaction(conn):
            yield conn

    def _compact(self, conn: Connection) -> None:
        """Give back the space of a committed deletion (SQLite: VACUUM, which needs free space as
        large as the file). When it fails the deletion stands (its rows already overwritten with
        zeros on SQLite), and the error says so."""
        try:
            self.db.compact(conn)
        except ERRORS as error:
            raise StoreError(
                self.where,
                f"kept the deletion (the deleted records are overwritten with zeros) but could not be "
                f"compacted afterwards ({error})",
                "free some space: the next deletion compacts it",
                another=False,
            ) from error

    def schema_version(self) -> int:
        """The database's schema version (0 when there is no database yet)."""
        with self._connect(write=False) as conn:
            return 0 if conn is None else schema.version(conn)

    def _one(self, sql: str, **values) -> dict | None:
        """The first row of a query as a mapping, None when there is none or no database yet."""
        with self._connect(write=False) as conn:
            return None if conn is None else conn.execute(text(sql), values).mappings().first()

    # --- settings ----------------------------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        """A workspace setting ("trainer_name"), ``default`` when unset or no database yet."""
        row = self._one("SELECT value FROM settings WHERE key = :key", key=key)
        return default if row is None else row["value"]

    def set_setting(self, key: str, value: str) -> None:
        with self._connect(write=True) as conn, self._transaction(conn):
            conn.execute(
                text(
                    "INSERT INTO settings (key, value) VALUES (:key, :value) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ),
                {"key": key, "value": value},
            )

    # --- clients -----------------------------------------------------------------------

    def clients(self) -> list[Client]:
        """Every client, by name (case-insensitive)."""
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            rows = conn.execute(text("SELECT * FROM clients ORDER BY lower(name), id")).mappings().all()
        return [client_of(row) for row in rows]

    def client(self, key: int | str) -> Client:
        """A client by id or by name (case-insensitive); ``UnknownClient`` when there is none."""
        if isinstance(key, int):
            row = self._one("SELECT * FROM clients WHERE id = :id", id=key)
        else:
            row = self._one("SELECT * FROM clients WHERE lower(name) = lower(:name)", name=key.strip())
        if row is None:
            raise UnknownClient(f"no client {key!r} in {self.where}")
        return client_of(row)

    def add_client(
        self, name: str, *, birth_year: int | None = None, notes: str = "", photo_consent: bool = False
    ) -> Client:
        """A new client; ``ClientExists`` when the name is taken, ``ValueError`` when empty."""
        name = clean_name(name)
        values = {"name": name, "year": birth_year, "notes": notes, "consent": int(photo_consent)}
        with self._connect(write=True) as conn, self._transaction(conn):
            try:
                client_id = conn.execute(
                    text(
                        "INSERT INTO clients (name, birth_year, notes, photo_consent, created) "
                        "VALUES (:name, :year, :notes, :consent, :created) RETURNING id"
                    ),
                    {**values, "created": dates.iso(dates.now_local())},
                ).scalar_one()
            except IntegrityError as error:
                if unique_violation(error):
                    raise ClientExists(f"a client named {name!r} already exists") from error
                raise ValueError(f"client not saved: {error.orig}") from error
        return self.client(int(client_id))

    def client_named(self, name: str) -> tuple[Client, bool]:
        """The client of this name, made (no details, no photo consent) when there is none, in
        one transaction: safe when other processes make the same client at once. True if made."""
        name = clean_name(name)
        with self._connect(write=True) as conn, self._transaction(conn):
            made = conn.execute(
                text("INSERT INTO clients (name, created) VALUES (:name, :created) ON CONFLICT DO NOTHING"),
                {"name": name, "created": dates.iso(dates.now_local())},
            ).rowcount
            row = (
                conn.execute(text("SELECT * FROM clients WHERE lower(name) = lower(:name)"), {"name": name})
                .mappings()
                .one()
            )
        return client_of(row), made == 1

    def update_client(
        self,
        client_id: int,
        *,
        name: str | None = None,
        birth_year: int | None | object = KEEP,
        notes: str | None = None,
        photo_consent: bool | None = None,
    ) -> Client:
        """Change a client's details. Withdrawing photo consent deletes their stored photos
        at once (the silhouettes and measures stay)."""
        current = self.client(client_id)
        fields = {
            "name": current.name if name is None else clean_name(name),
            "birth_year": current.birth_year if birth_year is KEEP else birth_year,
            "notes": current.notes if notes is None else notes,
            "photo_consent": int(current.photo_consent if photo_consent is None else photo_consent),
        }
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                try:
                    conn.execute(
                        text(
                            "UPDATE clients SET name = :name, birth_year = :birth_year, notes = :notes, "
                            "photo_consent = :photo_consent WHERE id = :id"
                        ),
                        {**fields, "id": client_id},
                    )
                except IntegrityError as error:
                    raise ClientExists(f"a client named {fields['name']!r} already exists") from error
                removed = 0
                if not fields["photo_consent"]:
                    removed = conn.execute(
                        text(
                            "DELETE FROM images WHERE kind = 'photo' AND session_id IN "
                            "(SELECT id FROM sessions WHERE client_id = :id)"
                        ),
                        {"id": client_id},
                    ).rowcount
            if removed:
                self._compact(conn)
        return self.client(client_id)

    def forget(self, client_id: int) -> int:
        """Delete a client with every session, measure and image of theirs; returns the number
        of sessions deleted. The freed space is given back (``Database.compact``)."""
        self.client(client_id)  # UnknownClient when there is none
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                count = conn.execute(
                    text("SELECT count(*) FROM sessions WHERE client_id = :id"), {"id": client_id}
                ).scalar_one()
                conn.execute(text("DELETE FROM clients WHERE id = :id"), {"id": client_id})
            self._compact(conn)
        return int(count)

    # --- sessions ----------------------------------------------------------------------

    def add_session(self, client_id: int, draft: Draft) -> Session:
        """Save one session for a client. The photo is stored only when the client consented
        to photos; otherwise it is dropped here, whatever the caller passed."""
        self.client(client_id)  # UnknownClient when there is none
        with self._connect(write=True) as conn, self._transaction(conn):
            session_id = insert_session(conn, client_id, draft)
        return self.session(session_id)

    def sessions(self, client_id: int) -> list[Session]:
        """A client's sessions, oldest first (by the instant they were taken, then saved)."""
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            ids = conn.execute(
                text("SELECT id FROM sessions WHERE client_id = :id ORDER BY taken_utc, id"),
                {"id": client_id},
            ).scalars()
            return [session_of(conn, session_id) for session_id in ids.all()]

    def session(self, session_id: int) -> Session:
        with self._connect(write=False) as conn:
            found = None if conn is None else session_of(conn, session_id)
        if found is None:
            raise LookupError(f"no session {session_id} in {self.where}")
        return found

    def delete_session(self, session_id: int) -> None:
        """Delete one session with its measures and images."""
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                conn.execute(text("DELETE FROM sessions WHERE id = :id"), {"id": session_id})
            self._compact(conn)

    def image(self, session_id: int, kind: str) -> bytes | None:
        """A stored image's bytes ("photo": JPEG, "silhouette": PNG), None when not stored."""
        row = self._one(
            "SELECT data FROM images WHERE session_id = :id AND kind = :kind", id=session_id, kind=kind
        )
        return None if row is None else bytes(row["data"])
