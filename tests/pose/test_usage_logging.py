"""MediaPipe's usage logger: which builds posture can keep quiet, and what the others are told.

Whether anything is actually sent is tested in ``tests/network/test_no_outbound.py``. The
builds for other platforms are read from their wheels when they are on disk (they are not in
the repository: ``pip download --no-deps --only-binary=:all: --platform TAG --python-version
3.11 mediapipe==1.2.2 -d /tmp/mediapipe-wheels`` for the three tags below, and set
``POSTURE_MEDIAPIPE_WHEELS`` if the folder is elsewhere); those tests skip without them.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from posture.pose import usage_logging
from posture.pose.usage_logging import (
    BLOCKING_PROXY,
    CURL_CLIENT,
    CURL_PROXY_VARIABLE,
    LOGGING_ADDRESS,
    PINNED_VERSION,
    UsageLoggingOn,
)

REPO = Path(__file__).resolve().parents[2]
WHEELS = Path(os.environ.get("POSTURE_MEDIAPIPE_WHEELS") or "/tmp/mediapipe-wheels")
LINUX = platform.system() == "Linux"


def _library(tmp_path: Path, *parts: bytes) -> Path:
    """A stand-in library: some bytes, then the given strings with filler between them."""
    path = tmp_path / "libmediapipe.so"
    path.write_bytes(b"\x7fELF" + b"\0" * 4096 + b"\0filler\0".join(parts) + b"\0" * 64)
    return path


def test_a_library_is_classed_by_the_strings_its_logger_needs(tmp_path):
    curl = _library(tmp_path, LOGGING_ADDRESS, CURL_CLIENT, CURL_PROXY_VARIABLE)
    assert usage_logging.logging_client(curl) == "curl"
    no_proxy_support = _library(tmp_path, LOGGING_ADDRESS, CURL_CLIENT)
    assert usage_logging.logging_client(no_proxy_support) == "other"
    system_client = _library(tmp_path, LOGGING_ADDRESS, b"ClearcutLoggingClient")
    assert usage_logging.logging_client(system_client) == "other"
    quiet = _library(tmp_path, CURL_CLIENT, CURL_PROXY_VARIABLE)
    assert usage_logging.logging_client(quiet) == "none"


@pytest.mark.skipif(not LINUX, reason="the installed build is checked on Linux")
def test_the_installed_linux_build_logs_through_libcurl():
    library = usage_logging.library_path()
    assert library is not None and library.name == "libmediapipe.so"
    assert usage_logging.logging_client(library) == "curl"


@pytest.mark.parametrize(
    ("tag", "system", "name", "client"),
    [
        ("manylinux_2_28_aarch64", "Linux", "libmediapipe.so", "curl"),
        ("macosx_11_0_arm64", "Darwin", "libmediapipe.dylib", "other"),
        ("win_amd64", "Windows", "libmediapipe.dll", "other"),
    ],
)
def test_the_other_platforms_builds_are_told_apart(tmp_path, tag, system, name, client):
    """The file names are those ``mediapipe_c_bindings.load_raw_library`` loads on ``system``."""
    wheel_name = f"mediapipe-{PINNED_VERSION}-py3-none-{tag}.whl"
    wheels = sorted(WHEELS.glob(wheel_name)) + sorted(WHEELS.glob(f"*/{wheel_name}"))
    if not wheels:
        pytest.skip(f"{wheel_name} is not in {WHEELS} (see this module's docstring)")
    with zipfile.ZipFile(wheels[0]) as wheel:
        members = [m for m in wheel.namelist() if m.startswith("mediapipe/tasks/c/libmediapipe.")]
        assert members == [f"mediapipe/tasks/c/{name}"]
        library = Path(wheel.extract(members[0], tmp_path))
    assert usage_logging.logging_client(library) == client


def _switch_off_in_a_child(environ: dict[str, str]) -> dict:
    """``switch_off()`` in a fresh interpreter with ``environ``: its answer and proxy variables."""
    names = usage_logging.PROXY_VARIABLES + usage_logging.NO_PROXY_VARIABLES
    code = (
        "import json, os\n"
        "from posture.pose import usage_logging\n"
        "state = usage_logging.switch_off()\n"
        f"print(json.dumps({{'state': state, 'env': {{n: os.environ.get(n) for n in {names!r}}}}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.skipif(not LINUX, reason="the libcurl build is the Linux one")
def test_switch_off_overrides_the_users_proxy_and_no_proxy_settings():
    """A proxy of the user's would carry the report on; ``NO_PROXY=*`` would send it direct."""
    environ = {
        **os.environ,
        "https_proxy": "http://proxy.example:3128",
        "HTTPS_PROXY": "http://proxy.example:3128",
        "NO_PROXY": "*",
        "no_proxy": "play.googleapis.com",
    }
    answer = _switch_off_in_a_child(environ)
    assert answer["state"] == "blocked"
    assert answer["env"] == {
        "https_proxy": BLOCKING_PROXY,
        "HTTPS_PROXY": BLOCKING_PROXY,
        "no_proxy": "localhost,127.0.0.1,::1",
        "NO_PROXY": "localhost,127.0.0.1,::1",
    }


def _pretend_macos(tmp_path: Path, monkeypatch) -> None:
    """This process as if on an Apple-silicon Mac with a library like the macOS wheel's."""
    library = _library(tmp_path, LOGGING_ADDRESS, b"ClearcutLoggingClient")
    monkeypatch.setattr(usage_logging, "library_path", lambda: library)
    monkeypatch.setattr(usage_logging, "_client", None)  # forget the installed library's answer
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")


def test_a_build_posture_cannot_block_is_refused_naming_the_platform(tmp_path, monkeypatch):
    _pretend_macos(tmp_path, monkeypatch)
    with pytest.raises(UsageLoggingOn, match=r"On macOS \(arm64\).*Docker Desktop"):
        usage_logging.switch_off()
    with pytest.raises(UsageLoggingOn):  # and again: the answer is kept, not read once and lost
        usage_logging.switch_off()


def test_the_command_refuses_before_starting_its_workers(tmp_path, monkeypatch, capsys):
    """With several workers the refusal is still one line and exit code 3, not a traceback."""
    from posture.cli import main

    _pretend_macos(tmp_path, monkeypatch)
    photos = [str(REPO / "samples" / f"synthetic_{name}.jpg") for name in ("neutral", "anterior_tilt")]
    assert main(["analyze", *photos, "--json", "--jobs", "2"]) == 3  # two photos: a pool of two
    error = capsys.readouterr().err
    assert error.startswith("posture: On macOS (arm64), mediapipe ") and "Traceback" not in error


def test_the_refusal_says_what_to_do_on_each_platform():
    mac = usage_logging.refusal("Darwin", "arm64", "1.2.2")
    assert mac.startswith("On macOS (arm64), mediapipe 1.2.2 sends usage reports to Google")
    assert "through the system's network stack" in mac and "Linux virtual machine" in mac
    windows = usage_logging.refusal("Windows", "AMD64", "1.2.2")
    assert windows.startswith("On Windows (AMD64),") and "WSL 2" in windows
    other_version = usage_logging.refusal("Linux", "x86_64", "1.3.0")
    assert other_version.startswith("On Linux (x86_64), mediapipe 1.3.0")
    assert "pip install mediapipe==1.2.2" in other_version
    pinned = usage_logging.refusal("Linux", "riscv64", "1.2.2")
    assert "pip install" not in pinned  # not "install the version you already have"
    assert "Linux x86_64 or aarch64" in pinned


def test_the_pinned_version_is_the_one_requirements_and_pyproject_pin():
    requirements = re.search(r"^mediapipe==(\S+)", (REPO / "requirements.txt").read_text(), re.M)
    pyproject = re.search(r'"mediapipe==([^"]+)"', (REPO / "pyproject.toml").read_text())
    assert requirements.group(1) == pyproject.group(1) == PINNED_VERSION
