"""Where the records database lives by default: ``$POSTURE_DATABASE_URL`` when set (a path, or a
URL such as ``postgresql+psycopg://posture@db.clinic/records`` for a clinic's shared server),
else one file, ``records.sqlite3``, in the data folder of ``posture.settings.data_dir()``
(``$POSTURE_DATA_DIR``, else the per-user data folder). ``posture --db PATH|URL`` and the app's
"Database" setting override it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from posture.settings import data_dir

DB_NAME = "records.sqlite3"
DATABASE_URL = "POSTURE_DATABASE_URL"

__all__ = ["DATABASE_URL", "DB_NAME", "data_dir", "default_db"]


def default_db(environ: Mapping[str, str] | None = None) -> Path | str:
    """The records database by default: ``$POSTURE_DATABASE_URL`` as given, else
    ``data_dir() / "records.sqlite3"``."""
    env = os.environ if environ is None else environ
    if env.get(DATABASE_URL, "").strip():
        return env[DATABASE_URL].strip()
    return data_dir(env) / DB_NAME
