"""One place for the settings read from the environment.

Nothing here is read at import time: each function looks at the environment when called.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

_CHECKOUT_MODELS = Path(__file__).resolve().parents[1] / "models"


def models_dir() -> Path:
    """Where the pose model bundles and their ``SHA256SUMS`` are.

    ``$POSTURE_MODELS_DIR`` when set; otherwise the ``models/`` folder of the repository
    checkout this package runs from (``make setup`` fills it). An installed package has no
    such folder: set ``POSTURE_MODELS_DIR`` (or pass ``models_dir=`` to ``PoseEstimator``).
    """
    configured = os.environ.get("POSTURE_MODELS_DIR")
    return Path(configured) if configured else _CHECKOUT_MODELS


def profile_dir() -> Path:
    """Where local personal-range profiles are kept: ``$POSTURE_PROFILE_DIR``, else
    ``~/.config/posture/profiles``."""
    configured = os.environ.get("POSTURE_PROFILE_DIR")
    return Path(configured) if configured else Path.home() / ".config" / "posture" / "profiles"


def data_dir(environ: Mapping[str, str] | None = None, *, platform: str | None = None) -> Path:
    """Where the trainer's records (``records.sqlite3``) are kept; nothing is created here.

    1. ``$POSTURE_DATA_DIR`` when set;
    2. else ``$XDG_DATA_HOME/posture`` when ``XDG_DATA_HOME`` is set;
    3. else ``~/.local/share/posture`` on Linux, ``~/Library/Application Support/posture`` on
       macOS, ``%APPDATA%\\posture`` on Windows.

    ``environ`` and ``platform`` default to this process's (given for tests).
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get("POSTURE_DATA_DIR"):
        return Path(env["POSTURE_DATA_DIR"]).expanduser()
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]).expanduser() / "posture"
    if platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "posture"
    if platform.startswith("win") and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "posture"
    return Path.home() / ".local" / "share" / "posture"


def native_logs() -> bool:
    """``POSTURE_NATIVE_LOGS=1`` shows MediaPipe's native start-up messages (hidden by default)."""
    return os.environ.get("POSTURE_NATIVE_LOGS") == "1"


def app_password() -> str | None:
    """``POSTURE_APP_PASSWORD``: the password visitors must give when the app is served to
    other machines (``--server.address`` other than 127.0.0.1). Unset: the app refuses to
    show anything to anyone when it is served beyond this machine."""
    return os.environ.get("POSTURE_APP_PASSWORD") or None
