"""The accuracy benchmark's error figures, read when first needed.

``benchmarks/accuracy.py`` (``make bench``) writes them to ``posture/data/measurement_error.json``:
the SDs (degrees) of the errors of a tilt change, a lumbar angle change and one absolute tilt on
held-out rendered side views. ``posture.assess`` turns the absolute SD into class probabilities;
``posture.compare`` turns the change SDs into the smallest change that counts as real.
"""

from __future__ import annotations

import json
from pathlib import Path

FILE = Path(__file__).resolve().parent / "data" / "measurement_error.json"


def load(path: Path = FILE) -> dict | None:
    """The figures as a dict, or None when the benchmark has not been run (or the file is bad)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
