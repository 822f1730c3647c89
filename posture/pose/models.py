"""The pose model bundles: where they are and the SHA-256 check before one is loaded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from posture import settings

MODEL_FILES = {"full": "pose_landmarker_full.task", "lite": "pose_landmarker_lite.task"}
PROVIDE_COMMAND = "python models/provide.py"


class ModelUnavailable(RuntimeError):
    """The model bundle is missing or not the verified file."""


def model_path(variant: str = "full", *, models_dir: Path | None = None) -> Path:
    """The verified bundle for ``variant`` ("full" or "lite").

    ``models_dir`` defaults to ``posture.settings.models_dir()``. Raises ``ModelUnavailable``
    naming the command that provides it when the file is absent or its SHA-256 is not listed in
    ``SHA256SUMS``.
    """
    return read_verified(variant, models_dir)[0]


def read_verified(variant: str, models_dir: Path | None = None) -> tuple[Path, bytes]:
    """The bundle's path and bytes, read once and checked against ``SHA256SUMS``."""
    if variant not in MODEL_FILES:
        raise ValueError(f"model must be one of {sorted(MODEL_FILES)}, got {variant!r}")
    models_dir = models_dir or settings.models_dir()
    path = models_dir / MODEL_FILES[variant]
    if not path.is_file():
        raise ModelUnavailable(
            f"The pose model {path.name} is missing. Run: {PROVIDE_COMMAND} "
            f"(or set POSTURE_MODELS_DIR to the folder that holds it)"
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() not in _known_digests(models_dir).get(path.name, set()):
        raise ModelUnavailable(
            f"The pose model {path.name} does not match models/SHA256SUMS "
            f"(it may be damaged). Delete it and run: {PROVIDE_COMMAND}"
        )
    return path, data


def _known_digests(models_dir: Path) -> dict[str, set[str]]:
    sums: dict[str, set[str]] = {}
    sums_file = models_dir / "SHA256SUMS"
    if sums_file.is_file():
        for line in sums_file.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                digest, name = line.split()
                sums.setdefault(name, set()).add(digest.lower())
    return sums
