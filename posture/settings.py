"""One place for the settings read from the environment.

Nothing here is read at import time: each function looks at the environment when called.
"""

from __future__ import annotations

import os
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


def native_logs() -> bool:
    """``POSTURE_NATIVE_LOGS=1`` shows MediaPipe's native start-up messages (hidden by default)."""
    return os.environ.get("POSTURE_NATIVE_LOGS") == "1"


def app_password() -> str | None:
    """``POSTURE_APP_PASSWORD``: the password visitors must give when the app is served to
    other machines (``--server.address`` other than 127.0.0.1). Unset: the app refuses to
    show anything to anyone when it is served beyond this machine."""
    return os.environ.get("POSTURE_APP_PASSWORD") or None
