"""Two analyses compared: the table of differences, each judged against its measurement error.

A difference between two photos is called a real change only when it exceeds that
measure's measurement error (``measurement_errors(figures)``). The photos themselves are
aligned and drawn by ``posture.render.align``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.measure.conventions import CONVENTIONS
from posture.types import Analysis, TiltMethod


@dataclass(frozen=True)
class MeasurementError:
    """The smallest change in a measure that counts as real, in the measure's unit."""

    value: float
    unit: str
    source: str
    basis: str = "provisional"
    """A word or two for a table cell: "benchmark", "RESEARCH.md" or "provisional"."""
    measured: bool = False
    """Whether this limit was measured for this very measure on bodies the estimator never
    saw (the accuracy benchmark's change pairs, or the marker benchmark). A comparison judges
    only such measures; the others are listed as not compared (issue 20)."""


ANGLE_ERROR_SOURCE = "RESEARCH.md ≈6° (provisional until the accuracy benchmark)"
OFFSET_ERROR_SOURCE = (
    "provisional: the ≈6° angle error of RESEARCH.md over a lever of 0.2 of body height "
    "(0.2 × tan 6° ≈ 0.02, about 3.5 cm at 1.75 m), until the accuracy benchmark"
)
BENCHMARK_SOURCE = (
    "accuracy benchmark ({source}, {date}: {n} pairs of rendered photos of one body in one "
    "set-up, the same clothes, arms and camera place, only the posture changed): 1.96 × SD "
    "of the {what} error, the minimal detectable change"
)


MDC_Z = 1.96
"""The minimal detectable change is this many SDs of the change error (95%, two-sided)."""


def _provisional(unit: str) -> MeasurementError:
    if unit == "deg":
        return MeasurementError(6.0, unit, ANGLE_ERROR_SOURCE, "RESEARCH.md")
    return MeasurementError(0.02, unit, OFFSET_ERROR_SOURCE)


def measurement_errors(figures: ErrorFigures) -> dict[str, MeasurementError]:
    """The smallest change in each measure that counts as real, in the measure's unit.

    Where the accuracy benchmark measures the error of a change between two photos (pelvic
    tilt, lumbar angle), the threshold is its minimal detectable change: 1.96 × the SD of that
    error, the same statistic as the smartphone inclinometer's MDC of 5.9° in RESEARCH.md; the
    sacral inclination's is the tilt's divided by the tilt-per-sacral-degree gain. Only the
    tilt's and the lumbar angle's are ``measured``: the sacral outline's is borrowed from the
    tilt (never measured on its own), the rest are provisional. Angles it
    does not measure keep RESEARCH.md's ≈6° (a change smaller than that is within the error of
    the best clinical tools, and a photo estimate is not better). Plumb-line offsets (fraction
    of body height): 6° of error at a joint 0.2 of body height from the next one moves it by
    0.2·tan(6°) ≈ 0.021 of height; MediaPipe point errors of 2-3 cm on a 1.75 m person (about
    0.015 of height per point) give a similar figure for the difference of two points.
    """
    errors = {name: _provisional(unit) for name, (unit, _) in CONVENTIONS.items()}
    source = dict(source=figures.source, date=figures.date, n=figures.change_pairs)
    tilt = MDC_Z * figures.tilt_change_sd
    errors["pelvic_tilt"] = MeasurementError(
        round(tilt, 1), "deg", BENCHMARK_SOURCE.format(what="tilt change", **source), "benchmark", True
    )
    errors["lumbar_lordosis"] = MeasurementError(
        round(MDC_Z * figures.lumbar_change_sd, 1),
        "deg",
        BENCHMARK_SOURCE.format(what="lumbar angle change", **source),
        "benchmark",
        True,
    )
    errors["sacral_inclination"] = MeasurementError(
        round(tilt, 1),
        "deg",
        BENCHMARK_SOURCE.format(what="tilt change", **source)
        + " (the outline angle at the lumbosacral turn, not measured on its own: taken as the tilt's)",
        "benchmark",
    )
    return errors


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    """One measure in both photos.

    ``difference`` is second minus first (None when either is missing); ``real`` is True
    when ``|difference|`` exceeds ``error.value``, False when it does not, None when it
    cannot be said, which includes every measure whose limit was not ``measured``. ``note``
    explains a None.
    """

    name: str
    unit: str
    first: float | None
    second: float | None
    difference: float | None
    error: MeasurementError
    real: bool | None
    note: str = ""

    @property
    def compared(self) -> bool:
        """Whether the change is judged at all: only with a limit measured for this measure."""
        return self.error.measured

    @property
    def verdict(self) -> str:
        if not self.compared:
            return "not compared"
        if self.real is None:
            return "cannot say"
        return "real change" if self.real else "within error"


def marker_error(figures: MarkerFigures, *, replaced: bool) -> MeasurementError:
    """The smallest real change of the tilt between two photos that both have the stickers:
    ``change_limit_replaced`` when the stickers were placed again in between (another
    session: the re-palpation error counts twice), else ``change_limit_in_place``."""
    if replaced:
        value, how = figures.change_limit_replaced, "stickers placed again between the photos"
        source = (
            f"{how}: 1.96 × √2 × the marker error with the re-palpation error ({figures.replacement_source})"
        )
    else:
        value, how = figures.change_limit_in_place, "stickers left in place between the photos"
        source = f"{how}: detection and camera only"
    basis = "markers, provisional" if figures.provisional else "markers"
    if figures.provisional:
        source += "; provisional figure, not yet measured by this project"
    return MeasurementError(
        round(value, 1), "deg", f"tilt from skin markers, {source}", basis, not figures.provisional
    )


def both_markers(first: Analysis, second: Analysis) -> bool:
    """Whether both photos' tilts were measured from skin stickers."""
    return all(
        a.assessment is not None and a.assessment.method is TiltMethod.MARKERS for a in (first, second)
    )


def compare_measures(
    first: Analysis,
    second: Analysis,
    *,
    errors: Mapping[str, MeasurementError],
    marker_figures: MarkerFigures | None = None,
    stickers_replaced: bool = True,
) -> list[ComparisonRow]:
    """One row per measure of ``CONVENTIONS``, in that order; ``errors`` from
    ``measurement_errors(figures)``.

    When both photos have their tilt from skin stickers and ``marker_figures`` are given, the
    pelvic tilt row compares the marker tilts against the marker limit (``marker_error``)
    once that limit is measured (``not marker_figures.provisional``); until then, and when
    only one photo has stickers, the markerless estimates are compared, and the note says so.
    A measure whose limit is not ``measured`` gets ``real=None`` (``ComparisonRow.compared``).
    """
    markers = markers_compared(first, second, marker_figures)
    stickers = [
        a.assessment is not None and a.assessment.method is TiltMethod.MARKERS for a in (first, second)
    ]
    tilt_note = ""
    if not markers and all(stickers) and marker_figures is not None:
        tilt_note = (
            "the skin markers' change limit is not measured yet: the markerless estimates are compared"
        )
    elif not markers and any(stickers):
        tilt_note = "only one photo has skin stickers: the markerless estimates are compared"
    rows = []
    for name, (unit, _) in CONVENTIONS.items():
        a, b = first.measure(name), second.measure(name)
        error = errors[name]
        if name == "pelvic_tilt" and markers:
            a, b = first.assessment.tilt_degrees, second.assessment.tilt_degrees
            error = marker_error(marker_figures, replaced=stickers_replaced)
        if a is None or b is None:
            missing = [label for label, v in (("first", a), ("second", b)) if v is None]
            rows.append(
                ComparisonRow(
                    name,
                    unit,
                    a,
                    b,
                    None,
                    error,
                    None,
                    note=f"not measured in the {' and '.join(missing)} photo",
                )
            )
            continue
        difference = b - a
        if not error.measured:
            rows.append(ComparisonRow(name, unit, a, b, difference, error, None, note=NOT_MEASURED_NOTE))
            continue
        note = tilt_note if name == "pelvic_tilt" else ""
        rows.append(
            ComparisonRow(
                name, unit, a, b, difference, error, real=bool(abs(difference) > error.value), note=note
            )
        )
    return rows


NOT_MEASURED_NOTE = "no change limit measured for this measure"


def markers_compared(first: Analysis, second: Analysis, figures: MarkerFigures | None) -> bool:
    """Whether the tilt row compares the two marker tilts: both photos have stickers and the
    marker change limit is measured."""
    return figures is not None and not figures.provisional and both_markers(first, second)


def tilt_class_change(first: Analysis, second: Analysis) -> tuple[str | None, str | None]:
    """The tilt class of each photo (None where not assessed)."""

    def cls(a: Analysis) -> str | None:
        return a.assessment.tilt_class.value if a.assessment and a.assessment.tilt_class else None

    return cls(first), cls(second)
