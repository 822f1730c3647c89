"""Shared fixtures: the real pose model, the error figures, the shared sample photos.

Markers are set here from the fixtures a test uses, so they stay true without a decorator on
every test: ``model`` (needs a pose model bundle), ``shared_samples`` (needs ../shared/samples).
``browser`` is set by the browser tests themselves.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

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
