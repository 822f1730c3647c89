"""Shared fixtures: the real pose model, the error figures, the shared sample photos, and the
records databases on both engines: ``postgres``, a throwaway PostgreSQL cluster for the session
(``tests/records/cluster.py``; skipped when PostgreSQL is not installed), ``database``, a new,
empty records database on each engine (an SQLite file path, then a PostgreSQL URL), and
``stored_bytes(store)``, what the engine keeps on disk for a store (the SQLite file; the
PostgreSQL database's data files).

Markers are set here from the fixtures a test uses, so they stay true without a decorator on
every test: ``model`` (needs a pose model bundle), ``shared_samples`` (needs ../shared/samples).
``browser`` is set by the browser tests themselves.
"""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

from tests.records.cluster import Cluster, binaries

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POSTURE_SHARED_DIR") or REPO.parent / "shared")  # a worktree sets it
SAMPLES = Path(os.environ.get("POSTURE_SAMPLES") or SHARED / "samples")
"""The real photos (``POSTURE_SAMPLES`` or ``POSTURE_SHARED_DIR`` name them for a worktree elsewhere)."""

MODEL_FIXTURES = {"estimator", "lite_estimator", "video_estimator"}
SAMPLE_FIXTURES = {"samples_dir", "side_view_path", "sample"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if used & SAMPLE_FIXTURES:
            item.add_marker(pytest.mark.shared_samples)


def sample_rows() -> list[dict[str, str]]:
    """Rows of ../shared/samples/index.csv (empty when the folder is absent)."""
    index = SAMPLES / "index.csv"
    if not index.is_file():
        return []
    with index.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not (SAMPLES / "index.csv").is_file():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


@pytest.fixture(scope="session")
def estimator():
    """The full pose model, loaded once for the whole test session (skips when it is missing)."""
    from posture.pose import ModelUnavailable, PoseEstimator

    try:
        loaded = PoseEstimator("full")
    except ModelUnavailable as error:
        pytest.skip(f"the pose model is not available: {error}")
    with loaded:
        yield loaded


@pytest.fixture(scope="session")
def figures():
    """The error figures shipped with the package."""
    from posture.assess.errors import ErrorFigures

    return ErrorFigures.load()


@pytest.fixture(scope="session")
def side_view_path(samples_dir: Path) -> Path:
    return samples_dir / "pranjal_postureanalysis" / "right.png"


@pytest.fixture(scope="session")
def postgres():
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql): the PostgreSQL runs skip")
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
    except (OSError, subprocess.CalledProcessError) as error:
        cluster.stop()
        detail = getattr(error, "stderr", "") or error
        pytest.skip(f"could not start a PostgreSQL cluster: {detail}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """A new records database: a file path (sqlite) or a URL (postgresql)."""
    if request.param == "sqlite":
        return str(tmp_path / "data" / "records.sqlite3")
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def stored_bytes(request):
    def read(store) -> bytes:
        if store.path is not None:
            return store.path.read_bytes()
        return request.getfixturevalue("postgres").stored_bytes(str(store.db.url.render_as_string(False)))

    return read
