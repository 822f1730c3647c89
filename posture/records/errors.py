"""``StoreError``: a fault of the records database, told as a sentence with what to do."""

from __future__ import annotations

from pathlib import Path

FIX = "choose another file with --db (in the app: the workspace settings on the Clients page)"


class StoreError(Exception):
    """The records database cannot be read or written; the message says why and what to do."""


def fault(error: BaseException, path: Path, *, write: bool) -> StoreError:
    """The ``StoreError`` for an ``sqlite3.Error`` or ``OSError`` met at ``path``."""
    kind = _kind(error)
    where = f"The records file {path}"
    if kind == "damaged":
        text = (
            f"{where} is not a records database (it may be damaged or cut short). "
            f"Restore it from your backup, or {FIX}."
        )
    elif kind == "full":
        text = (
            f"{where} could not be written: the disk is full. Nothing of this change was saved. "
            "Free some space and try again."
        )
    elif kind == "busy":
        text = (
            f"{where} is kept busy by another program that is writing to it. "
            "Nothing was saved: try again in a moment."
        )
    elif kind == "readonly" or (write and kind == "cantopen"):
        text = (
            f"{where} cannot be written: the file or its folder is read-only. Nothing was saved. "
            f"Make them writable (reading the records still works), or {FIX}."
        )
    elif kind == "cantopen":
        text = f"{where} cannot be opened (check that it and its folder may be read), or {FIX}."
    else:
        reason = getattr(error, "strerror", None) or str(error)
        text = (
            f"{where} could not be {'written' if write else 'read'} ({reason}). "
            f"Check the file and its folder, or {FIX}."
        )
    return StoreError(text)


def _kind(error: BaseException) -> str:
    if isinstance(error, PermissionError):
        return "readonly"
    if isinstance(error, OSError):
        return "full" if error.errno == 28 else "other"
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


__all__ = ["StoreError", "fault"]
