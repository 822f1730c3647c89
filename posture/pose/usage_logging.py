"""Switch off MediaPipe's usage reports to Google before any MediaPipe task is created.

The native library of the mediapipe wheels from 1.x (``mediapipe/tasks/c/libmediapipe.so``)
is built with Google's internal logging factory: every task (our ``PoseLandmarker`` included)
gets a ``TasksStatsProtoLogger`` whose ``HttpLoggingClient`` posts usage events (task name,
running mode, host system and Python version, counts and latencies) with libcurl to
``https://play.googleapis.com/log`` when the task is idle or closed. There is no option,
environment variable or graph setting that turns it off: the factory
``mediapipe::tasks::core::logging::CreateTasksLogger`` always builds that client (read in the
disassembly of 1.2.2; the open-source factory in google-ai-edge/mediapipe returns a
``TasksDummyLogger`` instead). That factory has one fallback: when creating the HTTP client
fails it logs a warning and returns the ``TasksDummyLogger``, which drops every event.

``switch_off()`` takes that fallback for every task: in the loaded library it turns the one
conditional jump that chooses between the HTTP logger and the dummy logger into an
unconditional one (one byte, ``jne`` -> ``jmp``, in this process's memory only, not on disk).
It does so only where the surrounding 26 bytes are exactly those of a build we read (they
include the relative address of the call that makes the HTTP client, so they identify the
build); the HTTP client that was made is then deleted unused, as MediaPipe does on failure.

A mediapipe whose native library does not contain the logging address (e.g. 0.10.x, which
has no Tasks C library) needs nothing. Any other build is refused by ``ensure_off()``: we
cannot show it sends nothing. ``tests/network/test_no_outbound.py`` checks the result the way
it matters: no name look-up, connection or packet in a network namespace whose DNS and port
443 answer.
"""

from __future__ import annotations

import ctypes
import mmap
import threading
from dataclasses import dataclass
from pathlib import Path

from posture.pose.models import ModelUnavailable

LOGGING_ADDRESS = b"https://play.googleapis.com/log"


class UsageLoggingOn(ModelUnavailable):
    """This MediaPipe build reports usage to Google and we cannot switch it off (the app and
    the command show it as they show a missing model: the estimator cannot start)."""


@dataclass(frozen=True)
class _Patch:
    anchor: str  # an exported function of libmediapipe.so
    offset: int  # from the anchor to the first byte of ``expected``
    expected: bytes  # the code around the jump, exactly as built
    at: int  # index of the jump's opcode in ``expected``
    opcode: int  # what it becomes


_JNE_SHORT = 0x75
_JMP_SHORT = 0xEB

# mediapipe 1.2.2 (manylinux x86_64, libmediapipe.so SHA-256 checked in the test):
#   3ac7654  lea -0x28(%rbp),%rdi ; mov $0x3c,%edx ; mov %r14,%rsi ; xor %ecx,%ecx
#   3ac7662  call HttpLoggingClient::Create
#   3ac7667  cmpq $0x1,-0x28(%rbp)        ; StatusOr is OK?
#   3ac766c  jne 3ac76cd                  ; no: warn, return TasksDummyLogger
# MpPoseLandmarkerCreate is at 0x33cb140.
_PATCHES = (
    _Patch(
        anchor="MpPoseLandmarkerCreate",
        offset=0x3AC7654 - 0x33CB140,
        expected=bytes.fromhex("488d7dd8 ba3c000000 4c89f6 31c9 e8c9120900 48837dd801 755f"),
        at=24,
        opcode=_JMP_SHORT,
    ),
)

_lock = threading.Lock()
_state: str | None = None  # "switched off", "absent" once known


def _library():
    from mediapipe.tasks.python.core import mediapipe_c_bindings

    return mediapipe_c_bindings.load_raw_library()


def _has_logging_code(path: str) -> bool:
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(LOGGING_ADDRESS) >= 0


def _write_byte(address: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    page = mmap.PAGESIZE
    start = address & ~(page - 1)
    length = address + 1 - start
    read, write, execute = mmap.PROT_READ, mmap.PROT_WRITE, mmap.PROT_EXEC
    if libc.mprotect(start, length, read | write | execute):
        raise UsageLoggingOn(f"cannot make MediaPipe's code writable (errno {ctypes.get_errno()})")
    try:
        ctypes.memmove(address, bytes([value]), 1)
    finally:
        libc.mprotect(start, length, read | execute)


def _apply(library) -> bool:
    """Patch the loaded library if it is a build we know; False if it is not."""
    for patch in _PATCHES:
        try:
            anchor = ctypes.cast(getattr(library, patch.anchor), ctypes.c_void_p).value
        except AttributeError:
            continue
        start = anchor + patch.offset
        current = ctypes.string_at(start, len(patch.expected))
        done = patch.expected[: patch.at] + bytes([patch.opcode]) + patch.expected[patch.at + 1 :]
        if current == done:
            return True
        if current == patch.expected:
            _write_byte(start + patch.at, patch.opcode)
            return ctypes.string_at(start, len(done)) == done
    return False


def switch_off() -> str:
    """Make sure MediaPipe creates no usage logger that reaches the network.

    Returns "switched off" (the fallback is now taken for every task of this process) or
    "absent" (this mediapipe has no such logging). Raises ``UsageLoggingOn`` for a build with
    the logging that we do not know how to switch off. Call before creating any task; safe to
    call again (and from several threads).
    """
    global _state
    with _lock:
        if _state is not None:
            return _state
        try:
            library = _library()
        except (ImportError, OSError):
            _state = "absent"  # no Tasks C library: the 0.10.x wheels
            return _state
        if _apply(library):
            _state = "switched off"
        elif not _has_logging_code(library._name):
            _state = "absent"
        else:
            import mediapipe

            version = getattr(mediapipe, "__version__", "?")
            raise UsageLoggingOn(
                f"mediapipe {version} sends usage reports to {LOGGING_ADDRESS.decode()} and this "
                "version of posture cannot switch them off. Install the pinned version "
                f"(pip install -r requirements.txt), library: {Path(library._name).name}"
            )
        return _state
