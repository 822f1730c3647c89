"""``StoreError``: a fault of the records file, told as one sentence that names the file, says
what happened and what to do.

    The records file /data/records.sqlite3 cannot be written because the file or its folder is
    read-only, so nothing was saved (reading the records still works): make them writable, or
    choose another file with --db.

``str(error)`` ends with the command's way to choose another file (``--db``);
``error.sentence(CHOOSE_IN_APP)`` with the app's. ``fault`` turns an ``sqlite3.Error`` or
``OSError`` into the ``StoreError`` for it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

CHOOSE_WITH_DB = "choose another file with --db"
CHOOSE_IN_APP = "choose another database file in the workspace settings on the Clients page"


class StoreError(Exception):
    """The records file cannot be read or written.

    ``path`` the file, ``happened`` what went wrong and what became of the data ("is damaged
    ..., and was left as it is"), ``todo`` what the user can do ("" when choosing another file
    is all), ``another`` whether choosing another file is offered too.
    """

    def __init__(self, path: str | os.PathLike[str], happened: str, todo: str = "", another: bool = True):
        self.path = path if isinstance(path, str) and "://" in path else Path(path)
        self.happened, self.todo, self.another = happened, todo, another
        super().__init__(self.sentence())

    def __reduce__(self):
        return type(self), (self.path, self.happened, self.todo, self.another)

    def sentence(self, choose: str = CHOOSE_WITH_DB) -> str:
        """The one sentence, offering another file the way ``choose`` says."""
        if not self.another:
            todo = self.todo
        else:
            todo = f"{self.todo}, or {choose}" if self.todo else choose
        what = "database" if isinstance(self.path, str) else "file"
        return f"The records {what} {self.path} {self.happened}: {todo}."


class NewerDatabase(StoreError, RuntimeError):
    """The file was written by a newer version of posture (a schema version this one lacks)."""

    def __init__(self, path: str | os.PathLike[str], found: int, known: int):
        self.found, self.known = found, known
        super().__init__(
            path,
            f"was written by a newer version of posture (records version {found}; this one knows "
            f"up to {known}), so it was left as it is",
            "update posture",
        )

    def __reduce__(self):
        return type(self), (self.path, self.found, self.known)


class ForeignDatabase(StoreError):
    """The file is an SQLite database of another program: posture adds no tables to it."""

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__(
            path, "is a database of another program, not posture records, so it was left as it is"
        )

    def __reduce__(self):
        return type(self), (self.path,)


def damaged(path: str | os.PathLike[str]) -> StoreError:
    """The file is not an SQLite database, or its pages or header make no sense."""
    return StoreError(
        path,
        "is damaged (cut short or overwritten) or is not a records database, and was left as it is",
        "restore it from your backup",
    )


def fault(error: BaseException, path: str | Path, *, write: bool, updating: bool = False) -> StoreError:
    """The ``StoreError`` for an ``sqlite3.Error``, ``psycopg.Error`` (bare or under SQLAlchemy's
    wrapper) or ``OSError`` met at ``path`` (a file, or a database URL without its password);
    ``updating`` when it was met bringing an older database to this version's schema (also
    needed to read it)."""
    error = getattr(error, "orig", None) or error
    kind = _kind(error)
    if updating and kind in ("readonly", "cantopen"):
        return StoreError(
            path,
            "was written by an older version of posture and must be updated before it can be "
            "read, but the file or its folder is read-only, so it was left as it is",
            "make them writable once",
        )
    nothing = "nothing was saved" if write else "nothing could be read"
    if kind == "damaged":
        return damaged(path)
    if kind == "full":
        return StoreError(
            path,
            "could not be written because the disk is full, so nothing of this change was saved "
            "(the records already in it are intact)",
            "free some space and try again",
            another=False,
        )
    if kind == "busy":
        return StoreError(
            path,
            f"was kept busy by another program writing to it, so {nothing}",
            "try again in a moment",
            another=False,
        )
    if kind == "readonly" or (write and kind == "cantopen"):
        return StoreError(
            path,
            "cannot be written because the file or its folder is read-only, so nothing was saved "
            "(reading the records still works)",
            "make them writable",
        )
    if kind == "cantopen":
        return StoreError(path, "cannot be opened", "check that it and its folder may be read")
    if kind in SERVER:
        happened, todo = SERVER[kind]
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return StoreError(path, happened.format(reason=reason, nothing=nothing), todo)
    reason = getattr(error, "strerror", None) or str(error)
    return StoreError(
        path,
        f"could not be {'written' if write else 'read'} ({reason}), so {nothing}",
        "check the file and its folder",
    )


SERVER = {
    "unreachable": (
        "could not be reached ({reason}), so {nothing}",
        "check that the database server is running and the URL's host and port",
    ),
    "denied": (
        "refused the user name or password of the URL, so {nothing}",
        "check them with whoever runs the clinic's database server",
    ),
    "denied_write": (
        "may not be written by the URL's user, or its server is read-only, so {nothing}",
        "ask whoever runs the clinic's database server for write access",
    ),
    "missing": (
        "does not exist on its server, so {nothing}",
        "create it as the README's clinic set-up says (createdb)",
    ),
}
"""What happened and what to do for the faults only a PostgreSQL server has."""

PG_STATES = {
    "53100": "full",
    "55P03": "busy",
    "40P01": "busy",
    "42501": "denied_write",
    "25006": "denied_write",
}
"""PostgreSQL error codes (SQLSTATE) and the kind of fault they are; class 28 is "denied"."""


def _server_kind(error: BaseException) -> str | None:
    """The kind of a psycopg error (it has ``sqlstate``), None for other errors."""
    if not type(error).__module__.startswith("psycopg"):
        return None
    state = getattr(error, "sqlstate", None) or ""
    if state in PG_STATES:
        return PG_STATES[state]
    if state.startswith("28"):
        return "denied"
    if state == "3D000":
        return "missing"
    text = str(error).lower()
    if "password authentication failed" in text or "no pg_hba.conf entry" in text or 'role "' in text:
        return "denied"
    if "does not exist" in text and "database" in text:
        return "missing"
    return "unreachable" if not state or state.startswith("08") else "other"


def _kind(error: BaseException) -> str:
    server = _server_kind(error)
    if server is not None:
        return server
    if isinstance(error, PermissionError) or getattr(error, "errno", None) in (errno.EROFS, errno.EACCES):
        return "readonly"
    if isinstance(error, OSError):
        return "full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "other"
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if (
        name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
        or "not a database" in text
        or "malformed" in text
    ):
        return "damaged"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "busy"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "cantopen"
    return "other"


__all__ = [
    "CHOOSE_IN_APP",
    "CHOOSE_WITH_DB",
    "ForeignDatabase",
    "NewerDatabase",
    "StoreError",
    "damaged",
    "fault",
]
