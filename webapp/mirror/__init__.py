"""The live mirror component: the browser side (``src/``) served from ``build/``, and its messages.

``make app`` / ``make test`` / ``make mirror`` fill ``build/`` with the component's own files
(``src/``), MediaPipe's tasks-vision bundle and WebAssembly runtime (npm, exact version in
``package-lock.json``) and the lite model from ``models/``. Streamlit serves that folder under
``/component/webapp.mirror.posture_mirror/``; nothing is loaded from anywhere else.

Messages from the browser (the component's value, JSON; one at a time, each acknowledged,
because a component value is a state that a second value would overwrite), with any of:

* ``"camera": {"state": "playing" | "stopped" | "error", "error": name}``;
* ``"poses": [{"ts", "people", "mask", "marker_tilt"}]`` with ``"width", "height"``: landmarks
  and masks of the frames detected since the last message (never the picture), and the tilt
  the browser read from skin stickers at that time (degrees, anterior positive; null when
  none were found);
* ``"capture": {"id", "frames": [{"ts", "jpeg": base64}]}``: sent only after the app asked for
  a capture (the person pressed Capture, or hands-free capture fired);

and always ``"seq"`` (acknowledged as ``ack``) and ``"rates"`` (the browser's frame rates).

Arguments to the browser: ``readout`` (``MirrorReadout.to_component()``), ``ack``, ``capture``
(a request: ``{"id", "timestamps"}``), ``model_sha256`` (the browser checks the model it
loads), ``send_every_ms``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import math
from pathlib import Path

from posture.live.mirror import MirrorSession, PayloadError, pose_from_browser

BUILD = Path(__file__).resolve().parent / "build"
NAME = "posture_mirror"
MAX_POSES = 12
"""Poses accepted in one message (the browser sends at most 6)."""
MAX_CAPTURE_FRAMES = 8
MAX_JPEG_BYTES = 4 * 1024 * 1024

_declared = None


class MirrorUnavailable(RuntimeError):
    """The component's files were not built (``make mirror``)."""


def component():
    """The declared Streamlit component (declared once per process)."""
    global _declared
    if _declared is None:
        if not (BUILD / "index.html").is_file() or not (BUILD / "pose_landmarker_lite.task").is_file():
            raise MirrorUnavailable(
                "The live mirror's browser files are not built. Run: make mirror (make app does it too)"
            )
        import streamlit.components.v1 as components

        _declared = components.declare_component(NAME, path=str(BUILD))
    return _declared


@functools.cache
def model_sha256() -> str:
    """SHA-256 of the lite model as verified against models/SHA256SUMS (the browser checks
    that the copy it is served is the same file)."""
    from posture.pose.models import read_verified

    return hashlib.sha256(read_verified("lite")[1]).hexdigest()


def apply_poses(session: MirrorSession, message: dict):
    """Measure a ``poses`` message in ``session``; returns the new readout."""
    try:
        width, height = int(message["width"]), int(message["height"])
        items = list(message["poses"])[-MAX_POSES:]
        poses = [
            (float(item["ts"]), pose_from_browser(item.get("people") or [], item.get("mask"), width, height))
            for item in items
        ]
        marker_tilts = {
            float(item["ts"]): _marker_tilt(item["marker_tilt"])
            for item in items
            if item.get("marker_tilt") is not None
        }
    except (KeyError, TypeError, ValueError) as error:
        raise PayloadError(f"bad poses message: {error}") from error
    return session.add_poses(poses, seq=int(message.get("seq", 0)), marker_tilts=marker_tilts)


def _marker_tilt(value) -> float:
    """A marker tilt from the browser: a finite number of degrees within +-90."""
    tilt = float(value)
    if not math.isfinite(tilt) or abs(tilt) > 90.0:
        raise PayloadError(f"bad marker tilt {value!r}")
    return tilt


def capture_jpegs(message: dict) -> list[bytes]:
    """The JPEG bytes of a message's ``capture`` part (at most ``MAX_CAPTURE_FRAMES``)."""
    found = []
    for frame in list(message.get("frames") or [])[:MAX_CAPTURE_FRAMES]:
        try:
            data = base64.b64decode(frame["jpeg"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as error:
            raise PayloadError(f"bad capture frame: {error}") from error
        if len(data) > MAX_JPEG_BYTES:
            raise PayloadError("capture frame too large")
        found.append(data)
    return found
