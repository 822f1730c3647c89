"""The measurement error figures the verdict and the comparison rest on, as versioned data.

``posture/assess/data/measurement_error.json`` ships with the package. It holds the SDs
(degrees) of the errors of a tilt change, a lumbar angle change and one absolute tilt,
measured by the accuracy benchmark (``make bench``) on held-out rendered side views, for one
pose model and one estimator (both named in the file). The benchmark writes its figures to
``benchmarks/results/measurement_error.json`` only; a person copies them here when the
estimator or the model changes, so the package's answers never change behind its back.

The app and the command call ``ErrorFigures.load()`` once at start-up and pass the result
down: a missing or malformed file is an error there, never a silent default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "data" / "measurement_error.json"
FORMAT_VERSION = 1


class ErrorFiguresError(ValueError):
    """The error figures file is missing or not in the expected form."""


@dataclass(frozen=True)
class ErrorFigures:
    """Error SDs (degrees) of the estimates, for ``model`` and ``estimator``."""

    version: int
    model: str
    estimator: str
    source: str
    date: str
    change_pairs: int
    tilt_change_sd: float
    lumbar_change_sd: float
    tilt_absolute_sd: float

    @classmethod
    def load(cls, path: str | Path = SHIPPED) -> ErrorFigures:
        """Read and check the figures; raises ``ErrorFiguresError`` naming the file and the problem."""
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ErrorFiguresError(f"cannot read the error figures {path}: {error}") from error
        except ValueError as error:
            raise ErrorFiguresError(f"the error figures {path} are not valid JSON: {error}") from error
        if not isinstance(raw, dict):
            raise ErrorFiguresError(f"the error figures {path} must be a JSON object")
        if raw.get("version") != FORMAT_VERSION:
            raise ErrorFiguresError(
                f"the error figures {path} have version {raw.get('version')!r}; "
                f"this package reads version {FORMAT_VERSION}"
            )
        names = [f.name for f in fields(cls)]
        missing = [name for name in names if name not in raw]
        if missing:
            raise ErrorFiguresError(f"the error figures {path} lack {', '.join(missing)}")
        figures = cls(**{name: raw[name] for name in names})
        for name in ("tilt_change_sd", "lumbar_change_sd", "tilt_absolute_sd"):
            value = getattr(figures, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ErrorFiguresError(f"the error figures {path}: {name} must be a positive number")
        return figures


def shipped() -> ErrorFigures:
    """The figures shipped with the package (read afresh; raises when missing or bad)."""
    return ErrorFigures.load(SHIPPED)
