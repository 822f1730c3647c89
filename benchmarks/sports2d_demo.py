"""Sports2D's demo clip, the real video the live tests and the clip benchmark use.

The clip ships inside the ``sports2d`` wheel on PyPI (BSD-3-Clause); it is fetched with
``pip download --no-deps`` into a cache folder (``artifacts/cache/`` by default) the first time,
read from the wheel as a zip file and checked against its SHA-256. Never committed. 7.7 s,
1768×994, 30 fps: a man on a box (jumping jacks facing the camera, a turn, a few steps side-on,
a jump down) and a woman walking past in side view.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

SPEC = "sports2d==0.8.34"
WHEEL_NAME = "sports2d-0.8.34-py3-none-any.whl"
MEMBER = "Sports2D/Demo/demo.mp4"
SHA256 = "d9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039"
"""SHA-256 of ``MEMBER`` in that wheel (7.7 s, 1768×994, 30 fps)."""
CACHE = Path(__file__).resolve().parents[1] / "artifacts" / "cache"


class DemoUnavailable(RuntimeError):
    """The clip cannot be had here; the message says why (callers skip with it)."""


def wheel(cache: Path = CACHE, *, timeout_s: float = 180) -> Path:
    """The wheel in ``cache``, downloaded with pip (no dependencies) when it is not there yet."""
    path = cache / WHEEL_NAME
    if path.is_file():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", SPEC, "-d", str(cache)],
            check=True,
            timeout=timeout_s,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise DemoUnavailable(
            f"{WHEEL_NAME} is not in {cache} and could not be downloaded: {error}"
        ) from None
    if not path.is_file():
        raise DemoUnavailable(f"pip did not save {WHEEL_NAME} in {cache}")
    return path


def demo_bytes(cache: Path = CACHE) -> bytes:
    """The clip's MP4 bytes, checked against ``SHA256``."""
    try:
        with zipfile.ZipFile(wheel(cache)) as archive:
            data = archive.read(MEMBER)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise DemoUnavailable(f"{MEMBER} cannot be read from {WHEEL_NAME}: {error}") from None
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise DemoUnavailable(f"{MEMBER} is not the expected file (SHA-256 differs)")
    return data
