"""The app served on 127.0.0.1 and Debian's headless Chromium: one harness for the browser tests
(``tests/e2e``), the network test (``tests/network/app_upload.py``) and the browser benchmarks
(``benchmarks.live_browser``, ``benchmarks.bomb_uploads``).

Never runs ``playwright install`` (it downloads a browser, which this project cannot do): the
browser is the Debian package ``chromium`` (``make test`` installs it); callers skip when it is
missing. The server gets a fresh HOME and TMPDIR, so a test can check that the app writes
nothing to disk.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
)
"""Flags of every headless Chromium here: no GPU, no background traffic of the browser's own."""
STARTUP_SECONDS = 90
STOP_SECONDS = 30


@dataclass(frozen=True)
class Served:
    """A running app: its address and the server's process id (for CPU and memory readings)."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(browser_type, *extra_args: str):
    """Debian's Chromium started by Playwright's ``browser_type`` with ``CHROMIUM_ARGS`` and
    ``extra_args``."""
    return browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


def wait_healthy(
    url: str, process: subprocess.Popen, log: Path | None, seconds: float = STARTUP_SECONDS
) -> None:
    """Return once ``url``'s Streamlit health check answers ``ok``; raise ``RuntimeError`` with
    the end of ``log`` when the server exits or does not answer in ``seconds``."""

    def tail() -> str:
        return log.read_text()[-3000:] if log is not None and log.is_file() else ""

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{tail()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer in {seconds} s:\n{tail()}")


@contextlib.contextmanager
def served_app(
    home: Path,
    log: Path | None = None,
    *,
    app: str = "app.py",
    port: int | None = None,
    startup_seconds: float = STARTUP_SECONDS,
    **env_extra: str,
) -> Iterator[Served]:
    """``streamlit run app`` on ``port`` (a free one by default) of 127.0.0.1 with ``home`` as
    HOME and TMPDIR (plus ``env_extra``), its output in ``log`` (discarded when None); yields
    the running server and stops it after with SIGTERM, as a person stopping ``make app``
    would (killed when it has not stopped in ``STOP_SECONDS``)."""
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(Path(home) / "mpl"),
        **env_extra,
    }
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("w") if log is not None else open(os.devnull, "w") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log, startup_seconds)
        yield Served(url, process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
