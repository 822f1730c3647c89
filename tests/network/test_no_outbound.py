"""No outbound attempt at all, MediaPipe's native library included, caught at the first step.

Each case runs in a fresh network and mount namespace (``tests/network/sinkhole.py``) where
DNS (UDP and TCP 53) and ports 80 and 443 are answered by a local listener and any packet to
any other address is read off the default route: a name look-up, a connection or a packet
fails the test, whether or not it would have succeeded on a real network. MediaPipe 1.2.2
without ``posture.pose``'s guard looks up play.googleapis.com and connects to its port 443
after every run of the command (``test_the_sinkhole_sees_mediapipes_own_usage_report``).

Every case starts from an environment without proxy variables (``_environment``), so what
blocks the report is the guard in the process, not a variable inherited from the test run
(``switch_off`` sets them in the process that calls it, pytest's included).

Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN), ``unshare``, ``ip`` and ``/dev/net/tun``;
skips with the reason otherwise. CI runs as root.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from posture.pose import usage_logging
from tests.network import sinkhole

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("POSTURE_SHARED_DIR") or REPO.parent / "shared")
SAMPLES = Path(os.environ.get("POSTURE_SAMPLES") or SHARED / "samples")  # as tests/conftest.py
SIDE = SAMPLES / "pranjal_postureanalysis" / "left.png"
POSTURE = [sys.executable, "-c", "import sys; from posture.cli import main; sys.exit(main())"]
"""The ``posture`` command of this checkout (the console script imports the installed one)."""
LINGER = 5.0  # MediaPipe posts its report on a worker thread when the task closes

pytestmark = pytest.mark.skipif(sinkhole.available() is not None, reason=str(sinkhole.available()))


def _photo() -> Path:
    if not SIDE.is_file():
        pytest.skip(f"sample photo {SIDE} is not present")
    return SIDE


def _environment(**extra: str) -> dict[str, str]:
    """This process's environment without proxy variables, with ``extra`` added."""
    names = usage_logging.PROXY_VARIABLES + usage_logging.NO_PROXY_VARIABLES
    return {**{k: v for k, v in os.environ.items() if k not in names}, **extra}


def _assert_silent(report: dict) -> None:
    attempts = {key: report[key] for key in ("dns", "connections", "packets") if report[key]}
    assert not attempts, f"outbound attempts: {attempts}\n{report['stderr'][-2000:]}"


def test_the_sinkhole_catches_a_lookup_a_connection_and_a_packet():
    code = (
        "import socket\n"
        "socket.getaddrinfo('play.googleapis.com', 443)\n"
        "s = socket.create_connection(('play.googleapis.com', 443), timeout=2); s.close()\n"
        "s = socket.socket(); s.settimeout(0.5)\n"
        "s.connect_ex(('198.51.100.7', 443))\n"
        "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'x', ('198.51.100.8', 123))\n"
    )
    report = sinkhole.run([sys.executable, "-c", code])
    assert any(name.startswith("play.googleapis.com") for name in report["dns"])
    assert ["127.0.0.1", 443] in report["connections"]
    assert any("198.51.100.7:443" in packet for packet in report["packets"])
    assert any("198.51.100.8:123" in packet for packet in report["packets"])


def test_the_sinkhole_sees_mediapipes_own_usage_report():
    """MediaPipe without the guard: proof that the harness sees what the guard prevents."""
    library = usage_logging.library_path()
    if library is None or usage_logging.logging_client(library) == "none":
        pytest.skip("this mediapipe's library has no usage logging to see")
    code = (
        "import numpy as np\n"
        "from mediapipe.tasks.python import BaseOptions, vision\n"
        "from posture.pose import model_path\n"
        "options = vision.PoseLandmarkerOptions(base_options=BaseOptions("
        "model_asset_path=str(model_path('lite'))))\n"
        "with vision.PoseLandmarker.create_from_options(options) as landmarker:\n"
        "    import mediapipe as mp\n"
        "    landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, "
        "data=np.zeros((64, 64, 3), np.uint8)))\n"
    )
    report = sinkhole.run([sys.executable, "-c", code], linger=LINGER, cwd=REPO, env=_environment())
    assert report["returncode"] == 0, report["stderr"][-2000:]
    assert any(name.startswith("play.googleapis.com") for name in report["dns"]), report


@pytest.mark.parametrize(
    "settings",
    [{}, {"https_proxy": "http://proxy.example:3128", "NO_PROXY": "*"}],
    ids=["no proxy settings", "the user's proxy and NO_PROXY=*"],
)
def test_the_command_makes_no_outbound_attempt(settings):
    """Also with a proxy of the user's (which would carry the report on) and ``NO_PROXY=*``
    (which would send it direct): the guard replaces both."""
    report = sinkhole.run(
        [*POSTURE, "analyze", str(_photo()), "--json"],
        linger=LINGER,
        cwd=REPO,
        env=_environment(**settings),
    )
    assert report["returncode"] == 0, report["stderr"][-2000:]
    assert json.loads(report["output"].splitlines()[0])["status"] == "ok"
    _assert_silent(report)


def test_loading_both_models_and_detecting_makes_no_outbound_attempt():
    code = (
        "import numpy as np\n"
        "from PIL import Image\n"
        "from posture.pose import PoseEstimator\n"
        f"rgb = np.asarray(Image.open({str(_photo())!r}).convert('RGB'))\n"
        "with PoseEstimator('full') as photo:\n"
        "    assert photo.detect(rgb).people\n"
        "with PoseEstimator('lite', video=True) as live:\n"
        "    for t in range(5):\n"
        "        live.detect_video(rgb, t * 33)\n"
        "print('ok')\n"
    )
    report = sinkhole.run([sys.executable, "-c", code], linger=LINGER, cwd=REPO, env=_environment())
    assert report["returncode"] == 0 and "ok" in report["output"], report["stderr"][-2000:]
    _assert_silent(report)


@pytest.mark.browser
@pytest.mark.slow
def test_an_app_upload_makes_no_outbound_attempt():
    """The server and headless Chromium in the namespace: upload, 65 s idle, upload, stop.

    MediaPipe 1.2.2 flushes its usage events at the first use after 60 s; Chromium's own
    look-ups are kept inside the browser (see ``tests/network/app_upload.py``)."""
    if not Path("/usr/bin/chromium").is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    report = sinkhole.run(
        [sys.executable, "-m", "tests.network.app_upload", str(_photo()), "--idle", "65"],
        linger=LINGER,
        cwd=REPO,
        timeout=400,
        env=_environment(),
    )
    assert report["returncode"] == 0 and "uploaded: ok" in report["output"], report["stderr"][-3000:]
    _assert_silent(report)
