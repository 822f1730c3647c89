"""Where the records database lives by default.

One file, ``records.sqlite3``, in the data folder:

1. ``$POSTURE_DATA_DIR`` when set;
2. else ``$XDG_DATA_HOME/posture`` when ``XDG_DATA_HOME`` is set;
3. else ``~/.local/share/posture`` on Linux, ``~/Library/Application Support/posture`` on
   macOS, ``%APPDATA%\\posture`` on Windows.

``posture --db PATH`` and the app's "Database file" setting override it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_VARIABLE = "POSTURE_DATA_DIR"
DB_NAME = "records.sqlite3"


def data_dir(environ: Mapping[str, str] | None = None, *, platform: str | None = None) -> Path:
    """The data folder (see the module docstring); nothing is created."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get(DATA_DIR_VARIABLE):
        return Path(env[DATA_DIR_VARIABLE]).expanduser()
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]).expanduser() / "posture"
    if platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "posture"
    if platform.startswith("win") and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "posture"
    return Path.home() / ".local" / "share" / "posture"


def default_db(environ: Mapping[str, str] | None = None) -> Path:
    """The records database's default path: ``data_dir() / "records.sqlite3"``."""
    return data_dir(environ) / DB_NAME
