"""The measurement error figures the verdict and the comparison rest on, as versioned data.

They live in the estimator's model file (``posture/measure/data/estimator-v2.json``, block
``errors``), written when the model is trained (``python -m benchmarks.fit.train``) from its
errors on held-out rendered bodies: the SDs (degrees) of the errors of a tilt change, a lumbar
angle change and one absolute tilt, the class-probability spread, and the other figures of the
report, for one pose model and one estimator (both named). So the figures always belong to the
model in use, and no benchmark run changes the package's answers behind its back. A plain
figures file (the same fields at the top level) is read too.

The app and the command call ``ErrorFigures.load()`` once at start-up and pass the result
down: a missing or malformed file is an error there, never a silent default.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

from posture.measure.fitted import FORMAT as MODEL_FORMAT
from posture.measure.fitted import MODEL_FILE

SHIPPED = MODEL_FILE
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
    class_sd: float | None = None
    """SD (degrees) of the normal error that turns a tilt into class probabilities, chosen when
    the model was trained (best log-likelihood of the true class in cross-validation)."""
    tilt_change_limit: float | None = None
    tilt_change_mae: float | None = None
    tilt_absolute_mae: float | None = None
    lumbar_absolute_mae: float | None = None
    lumbar_absolute_sd: float | None = None
    class_accuracy: float | None = None
    calibration_gap: float | None = None
    share_measured: float | None = None
    test_images: int | None = None
    test_bodies: int | None = None
    tilt_change_sd_varied_setup: float | None = None
    """SD of the tilt-change error when the two photos differ in clothes, arms and camera too
    (``tilt_change_sd`` is for two photos in the same set-up, as the comparison asks for)."""
    tilt_change_limit_varied_setup: float | None = None

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
        if isinstance(raw, dict) and raw.get("format") == MODEL_FORMAT:
            raw = raw.get("errors")
        if not isinstance(raw, dict):
            raise ErrorFiguresError(f"the error figures {path} must be a JSON object")
        if raw.get("version") != FORMAT_VERSION:
            raise ErrorFiguresError(
                f"the error figures {path} have version {raw.get('version')!r}; "
                f"this package reads version {FORMAT_VERSION}"
            )
        names = [f.name for f in fields(cls)]
        required = [f.name for f in fields(cls) if f.default is MISSING]
        missing = [name for name in required if name not in raw]
        if missing:
            raise ErrorFiguresError(f"the error figures {path} lack {', '.join(missing)}")
        figures = cls(**{name: raw[name] for name in names if name in raw})
        for name in ("tilt_change_sd", "lumbar_change_sd", "tilt_absolute_sd"):
            value = getattr(figures, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise ErrorFiguresError(f"the error figures {path}: {name} must be a positive number")
        return figures


def shipped() -> ErrorFigures:
    """The figures shipped with the package (read afresh; raises when missing or bad)."""
    return ErrorFigures.load(SHIPPED)


MARKER_FILE = Path(__file__).parent / "data" / "marker_error.json"


@dataclass(frozen=True)
class MarkerFigures:
    """Error figures (degrees) of the tilt measured from two skin stickers.

    ``tilt_sd``: SD of one marker tilt against the line between the stickers (detection and
    camera); ``tilt_sd_bony``: the same against the bony ASIS-PSIS line (skin offset included);
    ``change_limit_in_place``: the +- limit beyond which a change between two photos is real
    when the stickers stay on (one session); ``change_limit_replaced``: the same when the
    stickers were placed again (between sessions), which adds ``replacement_sd`` per placement
    from ``replacement_source``. ``provisional`` is true while the figures are targets or
    literature values rather than this project's own measurement (``source`` says which).
    """

    version: int
    provisional: bool
    source: str
    tilt_sd: float
    tilt_sd_bony: float
    change_limit_in_place: float
    change_limit_replaced: float
    replacement_sd: float
    replacement_source: str

    @classmethod
    def load(cls, path: str | Path = MARKER_FILE) -> MarkerFigures:
        """Read and check the marker figures; raises ``ErrorFiguresError`` naming the problem."""
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ErrorFiguresError(f"cannot read the marker error figures {path}: {error}") from error
        if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
            raise ErrorFiguresError(f"the marker error figures {path} must be a version-1 JSON object")
        names = [f.name for f in fields(cls)]
        missing = [name for name in names if name not in raw]
        if missing:
            raise ErrorFiguresError(f"the marker error figures {path} lack {', '.join(missing)}")
        return cls(**{name: raw[name] for name in names})
