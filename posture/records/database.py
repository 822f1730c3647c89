"""``Database``: where the records are (an SQLite file or a PostgreSQL URL) and its connections,
through SQLAlchemy 2 Core.

    Database("~/records.sqlite3")                          # a file (made on the first save)
    Database("postgresql+psycopg://posture@db.clinic/records")

SQLite: every connection is made by ``sqlite3.connect`` (autocommit, waiting up to
``BUSY_SECONDS`` for another process's write) with foreign keys and ``secure_delete`` on; a write
is one ``BEGIN IMMEDIATE`` transaction, so it holds the write lock from its start; reads are
single statements. PostgreSQL: psycopg 3, READ COMMITTED transactions, a lock waited for at most
``BUSY_SECONDS``. Connections are not pooled (``NullPool``): the command and the app open one
per call, and nothing stays open between calls.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

BUSY_SECONDS = 30.0
"""How long a connection waits for another process's write before giving up."""


def is_url(target: str | os.PathLike[str]) -> bool:
    """True for a database URL (``postgresql+psycopg://…``, ``sqlite:///…``), False for a path."""
    return isinstance(target, str) and "://" in target


class Database:
    """The records database at ``target``: a file path, or a URL (``sqlite:///path`` is a path)."""

    def __init__(self, target: str | os.PathLike[str]):
        url = make_url(target) if is_url(target) else None
        if url is not None and url.get_backend_name() == "sqlite":
            target, url = url.database or "", None
        self.url = url
        self.path = None if url is not None else Path(target).expanduser()
        self._engine: Engine | None = None

    @property
    def postgres(self) -> bool:
        return self.url is not None

    @property
    def where(self) -> str:
        """The file, or the URL without its password: for messages."""
        return str(self.path) if self.url is None else self.url.render_as_string(hide_password=True)

    def engine(self) -> Engine:
        if self._engine is None:
            if self.url is None:
                path = self.path
                self._engine = create_engine(
                    "sqlite://", creator=lambda: _sqlite_connect(path), poolclass=NullPool
                )
            else:
                timeout = f"-c lock_timeout={int(BUSY_SECONDS * 1000)}"
                self._engine = create_engine(
                    self.url, poolclass=NullPool, connect_args={"options": timeout, "connect_timeout": 10}
                )
        return self._engine

    def exists(self, *, write: bool) -> bool:
        """Whether there is a database to open; for a writer, the file is made (0600, in a 0700
        folder) when there is none. A PostgreSQL database always exists (its tables may not)."""
        if self.path is None:
            return True
        if self.path.is_file():
            return True
        if write:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.path.touch(mode=0o600)
        return write

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine().connect() as conn:
            yield conn

    @contextmanager
    def transaction(self, conn: Connection) -> Iterator[Connection]:
        """One write transaction; on SQLite it holds the write lock from its start."""
        if conn.in_transaction():
            conn.rollback()  # the reads before it (PostgreSQL's implicit transaction)
        if self.url is None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def compact(self, conn: Connection) -> None:
        """Give back the space of deleted rows, outside any transaction: SQLite's VACUUM rewrites
        the file; PostgreSQL's VACUUM FULL rewrites the records tables (and their TOAST tables,
        where the images are) into new files and deletes the old ones."""
        if self.url is None:
            conn.connection.dbapi_connection.execute("VACUUM")
            return
        conn.rollback()
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql("VACUUM FULL images, measures, sessions, clients, settings")


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def original(error: BaseException) -> BaseException:
    """The driver's own error under SQLAlchemy's wrapper (``sqlite3.Error``, ``psycopg.Error``)."""
    if isinstance(error, SQLAlchemyError) and getattr(error, "orig", None) is not None:
        return error.orig
    return error


def unique_violation(error: BaseException) -> bool:
    """True when ``error`` is a broken UNIQUE constraint (a client name taken)."""
    driver = original(error)
    return getattr(driver, "sqlstate", None) == "23505" or "UNIQUE" in str(driver)
