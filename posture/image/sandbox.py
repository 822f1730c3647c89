"""Decoding in a child process that cannot use more than ``MEMORY_BYTES`` or ``SECONDS``.

The header checks (``posture.image.limits``) refuse what is known to be too costly; this is the
bound for what they cannot foresee (a decoder's own appetite, a crafted file). Each decode
runs in a worker: a fresh interpreter (``python -I``, only numpy, Pillow and pillow-heif
imported) whose address space is capped with ``RLIMIT_AS``, so it can never hold more than
``MEMORY_BYTES``, whatever the format or the file. A worker that runs past ``SECONDS`` is
killed. Workers are kept for the next photo (at most ``WORKERS`` at once per process, each
used ``USES`` times), so a photo pays the interpreter's start (about 0.15 s) rarely.

Protocol on the worker's stdin/stdout: request ``>II`` (long side, byte count) then the photo;
reply ``>BI`` (status, JSON length), the JSON, then for status 0 the RGB bytes it describes.
"""

from __future__ import annotations

import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

MEMORY_BYTES = 1 << 30
"""Address space of a decoding worker (1 GiB), interpreter and libraries included."""

SECONDS = 20.0
"""Longest a decode may take before its worker is killed."""

WORKERS = 2
"""Workers decoding at once in one process (more photos wait for one)."""

USES = 50
"""Photos a worker decodes before it is replaced (freed memory goes back to the system)."""

_ROOT = str(Path(__file__).resolve().parents[2])
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from posture.image.sandbox import serve; serve()"


class SandboxError(Exception):
    """The worker answered with a refusal, or failed: ``reason`` (a ``Reason`` value) and ``message``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def memory_message() -> str:
    return (
        f"Decoding this image needed more than {MEMORY_BYTES >> 20} MiB of memory, the limit. "
        "Export it smaller (fewer megapixels) or as JPEG and try again."
    )


def time_message() -> str:
    return (
        f"Decoding this image took longer than {SECONDS:.0f} s, the limit. "
        "Export it smaller (fewer megapixels) or as JPEG and try again."
    )


class _Worker:
    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, _ROOT, str(MEMORY_BYTES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        self.uses = 0

    def decode(self, data: bytes, plugin: str, long_side: int) -> tuple[dict, bytes]:
        self.uses += 1
        deadline = time.monotonic() + SECONDS
        head = plugin.encode().ljust(8)
        self.process.stdin.write(struct.pack(">8sII", head, long_side, len(data)) + data)
        self.process.stdin.flush()
        status, length = struct.unpack(">BI", self._read(5, deadline))
        meta = json.loads(self._read(length, deadline))
        if status:
            raise SandboxError(meta["reason"], meta["message"])
        return meta, self._read(meta["bytes"], deadline)

    def _read(self, count: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        chunks, have = [], 0
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while have < count:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise TimeoutError
                chunk = os.read(fd, min(count - have, 1 << 20))
                if not chunk:
                    raise EOFError
                chunks.append(chunk)
                have += len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


_idle: list[_Worker] = []
_lock = threading.Lock()
_slots = threading.BoundedSemaphore(WORKERS)


def _forget_after_fork() -> None:
    """A forked process (a batch's pool) starts its own workers, never shares the parent's pipes."""
    global _lock, _slots
    _idle.clear()
    _lock = threading.Lock()
    _slots = threading.BoundedSemaphore(WORKERS)


os.register_at_fork(after_in_child=_forget_after_fork)


def decode(data: bytes, plugin: str, long_side: int) -> tuple[dict, bytes]:
    """Decode ``data`` with Pillow's ``plugin`` in a worker: (meta, RGB bytes).

    ``meta`` has ``shape``, ``original_size`` and ``scale`` as ``LoadedImage`` holds them.
    Raises ``SandboxError`` with the worker's refusal, or with ``image_too_large`` when the
    worker ran out of memory or time, or ``unreadable_image`` when it died.
    """
    with _slots:
        with _lock:
            worker = _idle.pop() if _idle else None
        if worker is None or worker.process.poll() is not None:
            worker = _Worker()
        try:
            answer = worker.decode(data, plugin, long_side)
        except SandboxError:
            _return(worker)
            raise
        except TimeoutError:
            worker.close()
            raise SandboxError("image_too_large", time_message()) from None
        except (EOFError, OSError, ValueError, struct.error):
            code = worker.process.poll()
            worker.close()
            raise SandboxError(
                "unreadable_image",
                "The decoder stopped on this file"
                + (f" (exit {code})" if code else "")
                + ". Send a JPEG, PNG, WebP or HEIC photo straight from the camera or phone.",
            ) from None
        _return(worker)
        return answer


def _return(worker: _Worker) -> None:
    if worker.uses >= USES:
        worker.close()
        return
    with _lock:
        _idle.append(worker)


def serve() -> None:
    """The worker's loop (run by ``_BOOT`` in the child): cap memory, then decode requests."""
    import resource

    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never reach the protocol
    from posture.image.decode import ImageError, decode_in_process

    while True:
        head = requests.read(16)
        if len(head) < 16:
            return
        plugin, long_side, length = struct.unpack(">8sII", head)
        data = requests.read(length)
        payload = b""
        try:
            loaded = decode_in_process(data, plugin.decode().strip(), long_side)
        except ImageError as error:
            status, meta = 1, {"reason": error.reason.value, "message": error.message}
        except MemoryError:
            status, meta = 1, {"reason": "image_too_large", "message": memory_message()}
        else:
            payload = loaded.rgb.tobytes()
            meta = {
                "shape": list(loaded.rgb.shape),
                "original_size": list(loaded.original_size),
                "scale": loaded.scale,
                "bytes": len(payload),
            }
            status = 0
            del loaded
        text = json.dumps(meta).encode()
        replies.write(struct.pack(">BI", status, len(text)) + text + payload)
        replies.flush()
