"""Where the benchmarks keep the data sets they generate and the poses they cache.

``$POSTURE_BENCH_DATA`` when set (for example a larger disk, or a folder shared by several
checkouts), else ``benchmarks/data/`` in this checkout (git-ignored). Nothing in it is ever
committed: every set in it is made again from its seed by ``python -m benchmarks.fit.bench``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV = "POSTURE_BENCH_DATA"
DEFAULT = Path(__file__).resolve().parent / "data"


def root(environ: Mapping[str, str] | None = None) -> Path:
    """The benchmark data folder: ``$POSTURE_BENCH_DATA`` if set and not empty, else ``benchmarks/data``."""
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    return Path(value).expanduser() if value else DEFAULT


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """Where the pose cache of each data set lives (one sub-folder per set, by folder name)."""
    return root(environ) / "cache"
