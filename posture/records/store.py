"""``Store``: clients and their sessions in one SQLite file (standard library ``sqlite3``).

    store = Store(Path("~/.local/share/posture/records.sqlite3").expanduser())
    client = store.add_client("Ana P.", photo_consent=False)
    store.add_session(client.id, draft)          # a posture.records.entries.Draft
    store.sessions(client.id)                    # oldest first
    store.forget(client.id)                      # every row and image of theirs, gone

Nothing is written until a method that saves is called: reading a database that does not
exist returns nothing and creates no file. The folder is made private (0700) and the file
0600. Every connection turns on foreign keys (deleting a client cascades to their sessions,
measures and images) and ``secure_delete`` (deleted rows are overwritten with zeros);
``forget`` also runs VACUUM, so the file keeps no trace of a forgotten client. The journal is
SQLite's default rollback journal, which is removed after each transaction: the folder holds
the one database file between calls (WAL would leave two more files, and a read-only file
could not be read without them).

Several processes may save at once: each write is one ``BEGIN IMMEDIATE`` transaction, a
connection waits up to ``BUSY_SECONDS`` for another's, migrations run under the write lock
(``schema.migrate``) and ``client_named`` makes a missing client in the same transaction it
reads it. Every fault of the file (damaged, another program's, read-only, disk full, busy,
newer) is a ``StoreError`` whose message is one sentence with what to do; a damaged, foreign or
newer file is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from posture.records import dates, schema
from posture.records.entries import Client, Draft, Session
from posture.records.errors import StoreError, fault
from posture.records.rows import clean_name, client_of, insert_session, session_of

BUSY_SECONDS = 30.0
"""How long a connection waits for another process's write before giving up."""

KEEP = object()
"""``update_client``'s default for ``birth_year``: leave it as it is (None clears it)."""


class ClientExists(ValueError):
    """Another client already has this name (names are unique, case-insensitive)."""


class UnknownClient(LookupError):
    """No client with this id or name."""


class Store:
    """The records database at ``path`` (a file; its folder is created on the first save)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # --- connections -------------------------------------------------------------------

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection | None]:
        """An open, migrated connection (autocommit: write inside ``_transaction``); None for a
        reader when there is no database yet. Faults are raised as ``StoreError``."""
        if self.path.is_dir():
            raise StoreError(
                self.path, "is a folder", f"give a file in it, such as {self.path / 'records.sqlite3'}"
            )
        try:
            if not write and not self.path.is_file():
                yield None
                return
            if write and not self.path.is_file():
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                self.path.touch(mode=0o600)
            with closing(sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)) as conn:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA secure_delete = ON")
                try:
                    schema.migrate(conn)
                except sqlite3.Error as error:
                    raise fault(error, self.path, write=write, updating=True) from error
                yield conn
        except (sqlite3.Error, OSError) as error:
            raise fault(error, self.path, write=write) from error

    @staticmethod
    @contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the write lock from its start (``BEGIN IMMEDIATE``)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _compact(self, conn: sqlite3.Connection) -> None:
        """VACUUM after a committed deletion. It needs free space as large as the file: when it
        fails the deletion stands (its rows already overwritten with zeros), and the error says so."""
        try:
            conn.execute("VACUUM")
        except sqlite3.Error as error:
            raise StoreError(
                self.path,
                f"kept the deletion (the deleted records are overwritten with zeros) but could not be "
                f"compacted afterwards ({error})",
                "free some space: the next deletion compacts it",
                another=False,
            ) from error

    def schema_version(self) -> int:
        """The database's schema version (0 when there is no database yet)."""
        with self._connect(write=False) as conn:
            return 0 if conn is None else schema.version(conn)

    # --- settings ----------------------------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        """A workspace setting ("trainer_name"), ``default`` when unset or no database yet."""
        with self._connect(write=False) as conn:
            row = (
                None
                if conn is None
                else conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            )
        return default if row is None else row["value"]

    def set_setting(self, key: str, value: str) -> None:
        with self._connect(write=True) as conn, self._transaction(conn):
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- clients -----------------------------------------------------------------------

    def clients(self) -> list[Client]:
        """Every client, by name (case-insensitive)."""
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            rows = conn.execute("SELECT * FROM clients ORDER BY name COLLATE NOCASE").fetchall()
        return [client_of(row) for row in rows]

    def client(self, key: int | str) -> Client:
        """A client by id or by name (case-insensitive); ``UnknownClient`` when there is none."""
        column = "id" if isinstance(key, int) else "name"
        value = key if isinstance(key, int) else key.strip()
        with self._connect(write=False) as conn:
            row = (
                None
                if conn is None
                else conn.execute(f"SELECT * FROM clients WHERE {column} = ?", (value,)).fetchone()
            )
        if row is None:
            raise UnknownClient(f"no client {key!r} in {self.path}")
        return client_of(row)

    def add_client(
        self, name: str, *, birth_year: int | None = None, notes: str = "", photo_consent: bool = False
    ) -> Client:
        """A new client; ``ClientExists`` when the name is taken, ``ValueError`` when empty."""
        name = clean_name(name)
        with self._connect(write=True) as conn, self._transaction(conn):
            try:
                cursor = conn.execute(
                    "INSERT INTO clients (name, birth_year, notes, photo_consent, created) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (name, birth_year, notes, int(photo_consent), dates.iso(dates.now_local())),
                )
            except sqlite3.IntegrityError as error:
                if "UNIQUE" in str(error):
                    raise ClientExists(f"a client named {name!r} already exists") from error
                raise ValueError(f"client not saved: {error}") from error
            client_id = cursor.lastrowid
        return self.client(int(client_id))

    def client_named(self, name: str) -> tuple[Client, bool]:
        """The client of this name, made (no details, no photo consent) when there is none, in
        one transaction: safe when other processes make the same client at once. True if made."""
        name = clean_name(name)
        with self._connect(write=True) as conn, self._transaction(conn):
            made = conn.execute(
                "INSERT INTO clients (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, dates.iso(dates.now_local())),
            ).rowcount
            row = conn.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()
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
                        "UPDATE clients SET name = ?, birth_year = ?, notes = ?, "
                        "photo_consent = ? WHERE id = ?",
                        (*fields.values(), client_id),
                    )
                except sqlite3.IntegrityError as error:
                    raise ClientExists(f"a client named {fields['name']!r} already exists") from error
                if not fields["photo_consent"]:
                    removed = conn.execute(
                        "DELETE FROM images WHERE kind = 'photo' AND session_id IN "
                        "(SELECT id FROM sessions WHERE client_id = ?)",
                        (client_id,),
                    ).rowcount
                else:
                    removed = 0
            if removed:
                self._compact(conn)
        return self.client(client_id)

    def forget(self, client_id: int) -> int:
        """Delete a client with every session, measure and image of theirs; returns the number
        of sessions deleted. The freed pages are zeroed and the file is compacted (VACUUM)."""
        self.client(client_id)  # UnknownClient when there is none
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                count = conn.execute(
                    "SELECT count(*) FROM sessions WHERE client_id = ?", (client_id,)
                ).fetchone()[0]
                conn.execute("DELETE FROM clients WHERE id = ?", (client_id,))
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
            rows = conn.execute(
                "SELECT id FROM sessions WHERE client_id = ? ORDER BY taken_utc, id", (client_id,)
            ).fetchall()
            return [session_of(conn, row["id"]) for row in rows]

    def session(self, session_id: int) -> Session:
        with self._connect(write=False) as conn:
            found = None if conn is None else session_of(conn, session_id)
        if found is None:
            raise LookupError(f"no session {session_id} in {self.path}")
        return found

    def delete_session(self, session_id: int) -> None:
        """Delete one session with its measures and images."""
        with self._connect(write=True) as conn:
            with self._transaction(conn):
                conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            self._compact(conn)

    def image(self, session_id: int, kind: str) -> bytes | None:
        """A stored image's bytes ("photo": JPEG, "silhouette": PNG), None when not stored."""
        with self._connect(write=False) as conn:
            row = (
                None
                if conn is None
                else conn.execute(
                    "SELECT data FROM images WHERE session_id = ? AND kind = ?", (session_id, kind)
                ).fetchone()
            )
        return None if row is None else bytes(row["data"])
