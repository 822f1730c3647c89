"""Privacy: the face can be hidden, nothing leaves the machine, nothing is stored unasked.

* Face blurring (``posture.render.privacy``) on a hand-built pose over a noise image.
* No outside network: socket connections and name look-ups to anything but this machine are
  blocked (and recorded) while the analyzer, the reports and the app run; in a fresh process
  the whole flow also runs in a network namespace with no network at all, when ``unshare``
  allows it.
* Usage statistics are off in ``.streamlit/config.toml``.
* Nothing written to disk: the command, the reports and the app flows run in a fresh process
  with its own working folder, HOME and TMPDIR, and an audit hook lists every file opened for
  writing; only matplotlib's font cache (written when MediaPipe imports matplotlib) may stay.
* Uploads above the limit are refused with a message.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from posture.assess.errors import ErrorFigures
from posture.render.privacy import blur_face, face_region
from tests.analyses import landmarks
from tests.conftest import SHARED

FIGURES = ErrorFigures.load()


def _noise(width: int = 600, height: int = 800) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)


def test_face_region_covers_every_face_landmark():
    pose = landmarks()
    (cx, cy), (rx, ry) = face_region(pose)
    for name in ("nose", "left_eye", "left_ear", "mouth_left"):
        x, y = pose.point(name)
        assert ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1.0


def test_blur_removes_detail_in_the_face_and_nowhere_else():
    rgb = _noise()
    pose = landmarks()
    out = blur_face(rgb, pose)
    (cx, cy), _ = face_region(pose)
    face = (slice(int(cy) - 10, int(cy) + 10), slice(int(cx) - 10, int(cx) + 10))
    assert out[face].std() < 0.3 * rgb[face].std()  # noise flattened
    ankle = pose.point("left_ankle").astype(int)
    far = (slice(ankle[1] - 20, ankle[1] + 20), slice(ankle[0] - 20, ankle[0] + 20))
    assert np.array_equal(out[far], rgb[far])


def test_blur_never_modifies_its_input():
    rgb = _noise()
    before = rgb.copy()
    blur_face(rgb, landmarks())
    assert np.array_equal(rgb, before)


def test_a_head_outside_the_picture_leaves_it_unchanged():
    rgb = _noise()
    pose = landmarks(ankle=(300.0, 2000.0), image_size=(600, 800))  # head far below the image
    assert np.array_equal(blur_face(rgb, pose), rgb)


@pytest.mark.parametrize(
    "bad", [np.zeros((10, 10), np.uint8), np.zeros((10, 10, 3), np.float32), np.zeros((10, 10, 4), np.uint8)]
)
def test_blur_refuses_anything_but_rgb_uint8(bad):
    with pytest.raises(ValueError, match="RGB uint8"):
        blur_face(bad, landmarks())


# --- no outside network ------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = SHARED / "samples" / "pranjal_postureanalysis"


def _is_local_host(host) -> bool:
    """A loopback address (127.0.0.0/8, ::1) or "localhost"; any other name or address is not."""
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a name to resolve: that is already a call outside


def _is_local(address) -> bool:
    """A connect() address on this machine: a Unix socket path, or (loopback host, port)."""
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX
    return _is_local_host(address[0] if isinstance(address, tuple) else address)


@pytest.fixture
def outbound_blocked(monkeypatch) -> list[str]:
    """Refuse (and record) every socket connection and name look-up that is not this machine."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: str):
        attempts.append(what)
        return OSError(f"test: outbound network blocked ({what})")

    def connect(sock, address):
        if not _is_local(address):
            raise refuse(f"connect {address!r}")
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if not _is_local(address):
            raise refuse(f"connect_ex {address!r}")
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local_host(host):
            raise refuse(f"getaddrinfo {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        raise refuse(f"gethostbyname {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", gethostbyname)
    return attempts


def _sample(name: str) -> Path:
    path = SAMPLE_DIR / name
    if not path.is_file():
        pytest.skip(f"sample photo {path} is not present")
    return path


def test_the_guard_refuses_and_records_an_outside_connection(outbound_blocked):
    with pytest.raises(OSError, match="outbound network blocked"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)  # TEST-NET-1, never routed
    with pytest.raises(OSError, match="outbound network blocked"):
        socket.getaddrinfo("example.com", 443)
    with socket.socket() as server:  # this machine stays reachable
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=1).close()
    assert outbound_blocked == ["getaddrinfo '192.0.2.1'", "getaddrinfo 'example.com'"]


def _reports(analysis) -> dict[str, bytes | str]:
    """Every download the photo page offers, made in memory."""
    from posture.render import report
    from posture.render import routine_sheet as routine_export
    from posture.render.overlay import annotate
    from posture.render.privacy import blur_face as blur
    from posture.routines import choose_routine, load_catalogue
    from posture.routines.safety import screen

    a = analysis.assessment
    routine = choose_routine(
        a.tilt_class.value,
        confidence=a.confidence,
        kendall_type=a.kendall.value if a.kendall else None,
        catalogue=load_catalogue(),
    )
    answered = screen({flag.id: False for flag in routine.red_flags})
    picture = annotate(blur(analysis.image, analysis.landmarks), analysis)
    return {
        "report.pdf": report.photo_report_pdf(
            report.PhotoReport(
                analysis, picture, figures=FIGURES, routine=routine, screen=answered, face_blurred=True
            )
        ),
        "report.html": report.photo_report_html(
            report.PhotoReport(
                analysis, picture, figures=FIGURES, routine=routine, screen=answered, face_blurred=True
            )
        ),
        "measures.csv": report.measures_csv(analysis),
        "measures.json": report.analysis_json(analysis, figures=FIGURES, routine=routine, face_blurred=True),
        "routine.pdf": routine_export.to_pdf(routine, screen=answered),
        "routine.html": routine_export.to_html(routine, screen=answered),
    }


OUTSIDE_REFERENCE = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.I)


def test_no_outside_call_while_the_model_loads_analyses_and_makes_reports(outbound_blocked):
    from posture.analyze import analyze
    from posture.pose import PoseEstimator

    with PoseEstimator("full") as model:  # loaded under the guard
        analysis = analyze(_sample("left.png"), model)
    assert analysis.ok
    made = _reports(analysis)
    assert outbound_blocked == []
    for name in ("report.html", "routine.html"):  # opened later in a browser: no outside fetch
        assert not OUTSIDE_REFERENCE.search(made[name]), name


def _full_app_flow() -> list:
    """A person's visit: the photo page with an upload, the safety answers and the face blur;
    then the comparison page with two photos. Returns every AppTest run, for the checks."""
    from streamlit.testing.v1 import AppTest

    side, other = _sample("left.png"), _sample("right.png")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.file_uploader[0].set_value((side.name, side.read_bytes(), "image/png")).run()
    for radio in at.radio:
        radio.set_value("No")
    at.run()
    at.checkbox(key="photo_blur").check().run()
    compare = AppTest.from_string(
        "from webapp.pages.compare import render\nrender()", default_timeout=120
    ).run()
    compare.file_uploader[0].set_value((side.name, side.read_bytes(), "image/png"))
    compare.file_uploader[1].set_value((other.name, other.read_bytes(), "image/png"))
    compare.run()
    return [at, compare]


def test_no_outside_call_while_the_app_runs(outbound_blocked):
    from webapp import common

    common.estimator.clear()  # the app loads its model under the guard
    try:
        runs = _full_app_flow()
    finally:
        common.estimator.clear()
    for at in runs:
        assert not at.exception, [e.value for e in at.exception]
    assert "You answered no to every safety question" in runs[0].success[0].value
    assert len(runs[1].table) == 1
    assert outbound_blocked == []


# --- usage statistics and the upload limit ------------------------------------------------------


def _config() -> dict:
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_usage_statistics_are_off_in_the_file_and_in_effect():
    assert _config()["browser"]["gatherUsageStats"] is False
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert re.search(r"^gatherUsageStats = false$", shown, re.M), "not in effect"
    assert re.search(r"^maxUploadSize = 25$", shown, re.M)


def test_the_upload_limit_is_below_the_analyzers_and_above_a_phone_photo():
    from posture.image.decode import MAX_FILE_BYTES

    limit_mb = _config()["server"]["maxUploadSize"]  # Streamlit's MB are MiB (x 1024 x 1024)
    assert 12 <= limit_mb and limit_mb * 2**20 <= MAX_FILE_BYTES


def test_a_file_over_the_analyzers_limit_is_refused_with_a_message():
    """What the page shows if the server's own limit (25 MB, enforced by Streamlit before
    the page sees the file: tests/e2e/test_load.py) were ever raised above 50 MiB."""
    from streamlit.testing.v1 import AppTest

    from posture.image.decode import MAX_FILE_BYTES

    big = b"\xff\xd8\xff\xe0" + bytes(MAX_FILE_BYTES)
    at = AppTest.from_string("from webapp.pages.photo import render\nrender()", default_timeout=60).run()
    at.file_uploader[0].set_value(("huge.jpg", big, "image/jpeg")).run()
    assert not at.exception
    assert "This photo is too large." in at.warning[0].value
    assert "the limit is 50 MiB" in at.warning[0].value


def test_an_upload_within_the_limit_is_held_in_memory_only():
    """Starlette spools upload parts over 1 MB to a temporary file unless told otherwise; the
    app raises that threshold to its upload limit when it starts."""
    from starlette.formparsers import MultiPartParser
    from streamlit.testing.v1 import AppTest

    AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()

    assert MultiPartParser.spool_max_size >= _config()["server"]["maxUploadSize"] * 2**20


# --- nothing written to disk, in a fresh process --------------------------------------------

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
PATH_EVENTS = {
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.remove",
    "os.rmdir",
    "os.truncate",
    "os.symlink",
    "os.link",
    "shutil.copyfile",
    "shutil.move",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
}


def run_private_flow(side: str, other: str) -> None:
    """Run in a fresh interpreter (see ``test_the_command_reports_and_app_write_nothing``):
    record every file opened for writing and every outside connection (refused), run the
    command, make every report, go through the app; print the record as the last line."""
    record: dict[str, list[str]] = {"writes": [], "network": []}

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if isinstance(path, (str, bytes, os.PathLike)) and (
                (isinstance(mode, str) and any(c in mode for c in "wax+"))
                or (not isinstance(mode, str) and isinstance(flags, int) and flags & WRITE_FLAGS)
            ):
                record["writes"].append(os.fsdecode(path))
        elif event in PATH_EVENTS:
            record["writes"].append(f"{event} {os.fsdecode(args[0]) if args else ''}")
        elif event == "socket.connect" and not _is_local(args[1]):
            record["network"].append(f"connect {args[1]!r}")
            raise OSError("outbound network blocked by the test")
        elif event == "socket.getaddrinfo" and not _is_local_host(args[0]):
            record["network"].append(f"getaddrinfo {args[0]!r}")
            raise OSError("outbound network blocked by the test")

    sys.addaudithook(hook)
    from posture.analyze import analyze
    from posture.cli import main
    from posture.pose import PoseEstimator

    assert main(["analyze", side, other, "--json"]) == 0  # no --overlay: nothing to write
    with PoseEstimator("full") as model:
        _reports(analyze(side, model))
    for at in _full_app_flow():
        assert not at.exception, [e.value for e in at.exception]
    from webapp import common

    common.estimator.clear()
    print("RECORD " + json.dumps(record), flush=True)


def _no_network_prefix() -> list[str]:
    """``unshare`` into a network namespace with no interface up (no network at all, native
    code included), when the kernel allows it; else nothing (the audit hook still refuses)."""
    try:
        probe = subprocess.run(
            ["unshare", "--net", "--map-root-user", "true"], capture_output=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return ["unshare", "--net", "--map-root-user"] if probe.returncode == 0 else []


MATPLOTLIB_CACHE = re.compile(r"^\.(cache|config)(/matplotlib(/fontlist-v[\d.]+\.json)?)?$")
"""The one thing allowed to stay: MediaPipe imports matplotlib.pyplot, which caches the list of
installed fonts in ~/.cache/matplotlib on first import (no user data)."""


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_command_reports_and_app_write_nothing(tmp_path):
    side, other = _sample("left.png"), _sample("right.png")
    work, home, tmp = tmp_path / "work", tmp_path / "home", tmp_path / "tmp"
    for folder in (work / ".streamlit", home, tmp):
        folder.mkdir(parents=True)
    (work / ".streamlit" / "config.toml").write_text((REPO / ".streamlit" / "config.toml").read_text())
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "MPLCONFIGDIR", "STREAMLIT_", "PYTEST_"))
    }
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    prefix = _no_network_prefix()
    code = (
        f"from tests.render.test_privacy import run_private_flow; "
        f"run_private_flow({str(side)!r}, {str(other)!r})"
    )
    done = subprocess.run(
        [*prefix, sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    record = json.loads(done.stdout.splitlines()[-1].removeprefix("RECORD "))
    assert record["network"] == []

    assert _files(work) == [".streamlit", ".streamlit/config.toml"]
    assert _files(tmp) == []  # temporary files, if any, were removed
    left_in_home = _files(home)
    assert all(MATPLOTLIB_CACHE.match(name) for name in left_in_home), left_in_home

    def allowed(entry: str) -> bool:
        path = entry.split(" ", 1)[-1]
        return (
            path == os.devnull
            or path.startswith(str(tmp))  # gone: checked above
            or MATPLOTLIB_CACHE.match(os.path.relpath(path, home).removesuffix(".matplotlib-lock"))
            is not None
        )

    written = sorted(set(record["writes"]))
    print(
        f"\nnetwork namespace: {'yes' if prefix else 'no'}; files opened for writing:\n  "
        + "\n  ".join(written)
    )
    assert [w for w in written if not allowed(w)] == []
