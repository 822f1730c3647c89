"""A client's history as data: CSV and JSON exports, series for the progress chart, the trend.

Pure functions over ``Session`` lists (oldest first, as ``Store.sessions`` returns them).

The CSV contract (``history_csv``), one row per session, oldest first:

    date, tilt_class, confidence, kendall_type, routine, <measure>, <measure>_corrected, ...,
    tilt_method, tilt_markers, tilt_estimate, notes, model, version

``date`` is the local date-time with its UTC offset ("2026-11-12T09:30:00+01:00");
``confidence`` is 0..1 with two decimals; ``tilt_method`` says where the reported pelvic
tilt came from, ``markers`` (two skin stickers) or ``estimate`` (markerless; also every
session saved before the method was stored); ``tilt_markers`` is the marker tilt and
``tilt_estimate`` the markerless estimate, degrees, anterior positive, empty when not made
(or, for those older sessions, not stored); each measure column holds the value in its unit
(degrees, or a fraction of body height; empty when not measured) and is followed by its
``_corrected`` flag, 1 when the value was recomputed from hand-moved landmarks, else 0.
The measure columns are every measure any of the sessions has, in the order they were saved.
A text cell that could start a spreadsheet formula (``=``, ``+``, ``-``, ``@``, tab, CR) is
written with a leading ``'`` (``posture.render.cells``); numbers are written unchanged.

The Clients page downloads the same columns under readable headings (``readable=True``:
"Pelvic tilt (degrees)" for ``pelvic_tilt``, ``posture.render.wording.history_heading``);
the command's ``--csv`` keeps the codes above for tools. docs/DATA.md lists both.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from posture.records.entries import Session
from posture.render.cells import safe_cell, safe_row
from posture.render.wording import history_heading

FIXED_COLUMNS = ("date", "tilt_class", "confidence", "kendall_type", "routine")
TILT_COLUMNS = ("tilt_method", "tilt_markers", "tilt_estimate")
"""Added after the measures (before ``notes``) so the older columns keep their places."""
TRAILING_COLUMNS = ("notes", "model", "version")


def measure_names(sessions: Sequence[Session]) -> list[str]:
    """Every measure name in the sessions, first-seen order."""
    return list(dict.fromkeys(name for s in sessions for name in s.measures))


def history_columns(sessions: Sequence[Session]) -> list[str]:
    columns = list(FIXED_COLUMNS)
    for name in measure_names(sessions):
        columns += [name, f"{name}_corrected"]
    return columns + list(TILT_COLUMNS) + list(TRAILING_COLUMNS)


def history_rows(sessions: Sequence[Session]) -> list[dict[str, Any]]:
    """One dict per session with the CSV's columns (values as Python numbers or None)."""
    names = measure_names(sessions)
    rows = []
    for s in sessions:
        row: dict[str, Any] = {
            "date": s.taken,
            "tilt_class": s.tilt_class,
            "confidence": None if s.confidence is None else round(s.confidence, 2),
            "kendall_type": s.kendall,
            "routine": s.routine_title,
        }
        for name in names:
            row[name] = s.measures.get(name)
            row[f"{name}_corrected"] = int(name in s.corrected)
        row.update(tilt_method=s.method, tilt_markers=s.tilt_markers, tilt_estimate=s.tilt_estimate)
        row.update(notes=s.notes, model=s.model, version=s.version)
        rows.append(row)
    return rows


def history_csv(sessions: Sequence[Session], *, readable: bool = False) -> str:
    """The CSV described in the module docstring (numbers to 4 significant digits), headed
    by the column codes, or by readable headings when ``readable``."""
    out = io.StringIO()
    columns = history_columns(sessions)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row([history_heading(c) for c in columns] if readable else columns))
    for row in history_rows(sessions):
        writer.writerow(_cell(row[key]) for key in columns)
    return out.getvalue()


def history_json(sessions: Sequence[Session], *, client: str | None = None) -> str:
    """The history as JSON: the client's name and one object per session, oldest first."""
    entries = [
        {
            "date": s.taken,
            "tilt_class": s.tilt_class,
            "confidence": None if s.confidence is None else round(s.confidence, 2),
            "tilt_degrees": None if s.tilt_degrees is None else round(s.tilt_degrees, 1),
            "tilt_method": s.method,
            "tilt_markers": None if s.tilt_markers is None else round(s.tilt_markers, 1),
            "tilt_estimate": None if s.tilt_estimate is None else round(s.tilt_estimate, 1),
            "kendall_type": s.kendall,
            "measures": {k: None if v is None else round(v, 4) for k, v in s.measures.items()},
            "corrected": sorted(s.corrected),
            "routine": {"title": s.routine_title, "exercises": list(s.exercises)}
            if s.routine_title
            else None,
            "notes": s.notes,
            "photo_stored": s.has_photo,
            "model": s.model,
            "version": s.version,
        }
        for s in sessions
    ]
    return json.dumps({"client": client, "sessions": entries}, indent=2, ensure_ascii=False)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return safe_cell(value)


# --- progress ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """A measure's change from the first session that has it to the last.

    ``change`` is last − first in the measure's unit; ``real`` is True when ``|change|``
    exceeds ``error`` (the smallest change that counts as real), False when it does not,
    None when there is no error figure or fewer than two sessions measured it.
    """

    name: str
    first: float | None
    last: float | None
    change: float | None
    error: float | None
    real: bool | None
    count: int


def trend(sessions: Sequence[Session], name: str, error: float | None) -> Trend:
    values = [s.measures[name] for s in sessions if s.measures.get(name) is not None]
    if len(values) < 2:
        first = values[0] if values else None
        return Trend(name, first, first, None, error, None, len(values))
    change = values[-1] - values[0]
    real = None if error is None else bool(abs(change) > error)
    return Trend(name, values[0], values[-1], change, error, real, len(values))


def series(
    sessions: Sequence[Session], names: Sequence[str], labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Long-form rows for a chart: one per session and measure that has a value, with
    ``date`` (ISO with offset), ``session`` (1 = first), ``measure`` (its label),
    ``value`` and ``corrected``."""
    labels = labels or {}
    return [
        {
            "date": s.taken,
            "session": number,
            "measure": labels.get(name, name),
            "value": s.measures[name],
            "corrected": name in s.corrected,
        }
        for number, s in enumerate(sessions, 1)
        for name in names
        if s.measures.get(name) is not None
    ]


def error_band(
    sessions: Sequence[Session], name: str, error: float | None, label: str | None = None
) -> dict[str, Any] | None:
    """The band of values within measurement error of the first session's value:
    ``{"measure", "low", "high", "first"}``, or None when it cannot be drawn. A later value
    inside it is no real change from the first."""
    first = next((s.measures[name] for s in sessions if s.measures.get(name) is not None), None)
    if first is None or error is None:
        return None
    return {"measure": label or name, "low": first - error, "high": first + error, "first": first}
