"""Where the records database lives by default: one file, ``records.sqlite3``, in the data
folder of ``posture.settings.data_dir()`` (``$POSTURE_DATA_DIR``, else the per-user data
folder). ``posture --db PATH`` and the app's "Database file" setting override it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from posture.settings import data_dir

DB_NAME = "records.sqlite3"

__all__ = ["DB_NAME", "data_dir", "default_db"]


def default_db(environ: Mapping[str, str] | None = None) -> Path:
    """The records database's default path: ``data_dir() / "records.sqlite3"``."""
    return data_dir(environ) / DB_NAME
