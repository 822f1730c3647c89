"""Shared fixtures: the real pose model, the shared sample photos, hand-built poses."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "samples"


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
    """The full pose model, loaded once for the whole test session."""
    from posture.pose import PoseEstimator

    with PoseEstimator("full") as loaded:
        yield loaded


@pytest.fixture(scope="session")
def side_view_path(samples_dir: Path) -> Path:
    return samples_dir / "pranjal_postureanalysis" / "right.png"
