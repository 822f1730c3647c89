"""Keep MediaPipe's usage reports to Google from reaching any address, before any task exists.

What the mediapipe 1.x wheels do. Their native library (``mediapipe/tasks/c/libmediapipe.*``)
is built with Google's internal Tasks logging: ``TaskRunner::Create`` calls
``CreateTasksLogger`` for every task, ours included, with no option, environment variable or
graph setting that skips it, and the logger posts usage events (task name, running mode, host
system and Python version, counts, latencies; no pictures) to ``https://play.googleapis.com/log``
when the task is idle or closed. How it posts depends on the build:

* Linux (x86_64 and aarch64): a ``CurlClient`` with libcurl built in. ``CurlClient::Post`` sets
  the URL, headers, body, timeouts and the CA file, and no proxy option (read in the disassembly
  of both 1.2.2 builds), so libcurl takes the proxy from the environment: ``https_proxy`` (then
  ``HTTPS_PROXY``) unless ``no_proxy``/``NO_PROXY`` names the host.
* macOS (arm64) and Windows (x86_64): a ``ClearcutLoggingClient`` whose HTTP client (Ion's) goes
  through the system's network stack (``NSURLRequest``; WinINet), which reads no such variables.

``switch_off()`` guards the libcurl builds by construction: it sets ``https_proxy`` and
``HTTPS_PROXY`` to ``BLOCKING_PROXY``, whose scheme libcurl does not know, and the no-proxy lists
to the loopback names only (a user's ``NO_PROXY=*`` would send the report direct). For every
transfer to that address libcurl then fails while it chooses the proxy ("Unsupported proxy
scheme"), before it looks any name up or opens a socket; the logger's client also gives up
after its first failure. Nothing in the library is patched and no private MediaPipe name is
used: the library is found where MediaPipe loads it from (without importing it) and only
read, for three strings.

Builds whose logger is not libcurl's cannot be guarded this way and nothing else keeps them
quiet, so the estimator refuses to start there (``UsageLoggingOn``), with a message naming the
platform and what to do. Side effect: this process (and what it starts) sees the blocking proxy
too, so an HTTP client in it that honours these variables reaches no https address but the
loopback ones either (posture makes no outside connection of its own).
``tests/network/test_no_outbound.py`` checks the result the way it matters: no name look-up,
connection or packet in a network namespace whose DNS and port 443 answer.
"""

from __future__ import annotations

import mmap
import os
import platform
import threading
from importlib import metadata, util
from pathlib import Path

from posture.pose.models import ModelUnavailable

PINNED_VERSION = "1.2.2"  # as in requirements.txt and pyproject.toml (a test checks)
LOGGING_ADDRESS = b"https://play.googleapis.com/log"
CURL_CLIENT = b"N9mediapipe5tasks4core7logging15google_internal10CurlClientE"
"""The RTTI name of the libcurl-based logging client, in the Linux builds."""
CURL_PROXY_VARIABLE = b"\0https_proxy\0"
"""libcurl's proxy look-up is built in (a build without proxy support would lack it)."""

BLOCKING_PROXY = "posture-no-network://mediapipe-usage-reports.invalid"
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY")  # libcurl's for an https URL, in its order
NO_PROXY_VARIABLES = ("no_proxy", "NO_PROXY")
LOOPBACK = "localhost,127.0.0.1,::1"
"""The only hosts left out of the blocking proxy: none of them is play.googleapis.com."""

_SUFFIX = {"Darwin": ".dylib", "Windows": ".dll"}  # what mediapipe loads; ".so" elsewhere
_SYSTEM_NAMES = {"Darwin": "macOS", "Windows": "Windows", "Linux": "Linux"}
_WHAT_TO_DO = {
    "Darwin": "Run posture on Linux instead: in a Linux virtual machine or container on this Mac "
    "(for example Docker Desktop), where posture blocks the reports",
    "Windows": "Run posture in WSL 2 (Ubuntu) instead, where posture blocks the reports",
}
_WHAT_TO_DO_ELSEWHERE = "Run posture on Linux x86_64 or aarch64, where posture blocks the reports"


class UsageLoggingOn(ModelUnavailable):
    """This MediaPipe build reports usage to Google and we cannot keep it from doing so (the app
    and the command show it as they show a missing model: the estimator cannot start)."""


def library_path(system: str | None = None) -> Path | None:
    """The Tasks C library mediapipe loads on ``system`` (default: this one), None if absent.

    The file ``mediapipe_c_bindings`` loads: ``<mediapipe>/tasks/c/libmediapipe.<so|dylib|dll>``,
    found without importing mediapipe (half a second the command's parent process saves).
    """
    suffix = _SUFFIX.get(system or platform.system(), ".so")
    spec = util.find_spec("mediapipe")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "tasks" / "c" / f"libmediapipe{suffix}"
        if path.is_file():
            return path
    return None  # no mediapipe, or one without a Tasks C library (0.10.x)


def logging_client(library: Path) -> str:
    """Which usage logger a Tasks C library carries, read from its bytes (nothing is loaded).

    "none": no logging address (nothing to stop); "curl": libcurl's client, which
    ``BLOCKING_PROXY`` stops; "other": a client that reads no proxy variables.
    """
    with open(library, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(LOGGING_ADDRESS) < 0:
            return "none"
        if data.find(CURL_CLIENT) >= 0 and data.find(CURL_PROXY_VARIABLE) >= 0:
            return "curl"
        return "other"


def refusal(system: str, machine: str, version: str) -> str:
    """The message of a build whose reports cannot be stopped: the platform and what to do."""
    where = f"{_SYSTEM_NAMES.get(system, system or 'this system')} ({machine or '?'})"
    how = "in a way posture cannot block"
    if system in _WHAT_TO_DO:
        todo = _WHAT_TO_DO[system]
        if version == PINNED_VERSION:  # read in the 1.2.2 wheels for these systems
            how = "through the system's network stack, which posture cannot block"
    elif version != PINNED_VERSION:
        todo = (
            f"Install the mediapipe version posture is built for: pip install "
            f"mediapipe=={PINNED_VERSION} (or pip install -r requirements.txt)"
        )
    else:
        todo = _WHAT_TO_DO_ELSEWHERE
    return (
        f"On {where}, mediapipe {version} sends usage reports to Google "
        f"({LOGGING_ADDRESS.decode()}) {how}, so posture does not start its pose model here. {todo}."
    )


def block_curl_proxies(environ=os.environ) -> None:
    """Point libcurl's https proxy at ``BLOCKING_PROXY``; leave only the loopback out of it."""
    for name in PROXY_VARIABLES:
        environ[name] = BLOCKING_PROXY
    for name in NO_PROXY_VARIABLES:
        environ[name] = LOOPBACK


_lock = threading.Lock()
_client: str | None = None  # of the installed library, once read


def switch_off() -> str:
    """Make sure MediaPipe's usage logger reaches no address; call before creating any task.

    Returns "blocked" (libcurl's logger: its proxy variables are set again on every call, in
    case something changed them) or "absent" (this mediapipe has no such logging). Raises
    ``UsageLoggingOn`` for a build whose logger posts through the system instead. Safe to call
    again and from several threads.
    """
    global _client
    with _lock:
        if _client is None:
            library = library_path()
            _client = "none" if library is None else logging_client(library)
        if _client == "none":
            return "absent"
        if _client == "curl":
            block_curl_proxies()
            return "blocked"
        version = metadata.version("mediapipe")
        raise UsageLoggingOn(refusal(platform.system(), platform.machine(), version))
