"""The Clients page's progress chart (Altair, which Streamlit ships): one panel per trended
measure over a client's sessions, with the band of values within measurement error of the
first session (the errors from ``posture.assess.compare.measurement_errors``)."""

from __future__ import annotations

import altair as alt

from posture.records import dates, history
from posture.records.entries import Session
from posture.records.report import TREND_MEASURES
from posture.render.wording import MEASURE_GUIDE, format_value

COLOURS = ("#1f5fa8", "#b3541e", "#2f7d32")


def progress_chart(sessions: list[Session], errors) -> alt.VConcatChart:
    """One panel per trended measure: the values over time and the band of no real change."""
    panels = []
    span = [_datetime(sessions[0].taken), _datetime(sessions[-1].taken)]
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=span, padding=24),
        axis=alt.Axis(format="%-d %b %Y", labelAngle=0, tickCount=min(6, len(sessions))),
    )
    for name, colour in zip(TREND_MEASURES, COLOURS):
        label = MEASURE_GUIDE[name].label
        rows = [
            {**r, "date": _naive(r["date"]), "shown": format_value(name, r["value"])}
            for r in history.series(sessions, [name], {name: label})
        ]
        if not rows:
            continue
        y = alt.Y("value:Q", title=f"{label} (°)", scale=alt.Scale(zero=False))
        line = alt.Chart(alt.Data(values=rows)).mark_line(color=colour).encode(x=x, y=y)
        points = (
            alt.Chart(alt.Data(values=rows))
            .mark_point(size=70, color=colour)
            .encode(
                x=x,
                y=y,
                fill=alt.condition("datum.corrected", alt.value("white"), alt.value(colour)),
                tooltip=[
                    alt.Tooltip("date:T", title="Date", format="%d %b %Y %H:%M"),
                    alt.Tooltip("shown:N", title=label),
                    alt.Tooltip("corrected:N", title="Corrected"),
                ],
            )
        )
        layers = [line, points]
        error = errors.get(name)
        band = history.error_band(sessions, name, error.value if error else None, label)
        if band is not None:
            layers.insert(
                0,
                alt.Chart(alt.Data(values=[band]))
                .mark_rect(color="#9e9e9e", opacity=0.25)
                .encode(y="low:Q", y2="high:Q"),
            )
        panels.append(alt.layer(*layers).properties(height=150, title=label))
    return alt.vconcat(*panels).resolve_scale(y="independent")


def _naive(taken: str) -> str:
    """The local wall-clock time without its offset: Vega-Lite shows it as recorded."""
    return dates.parse(taken).replace(tzinfo=None).isoformat()


def _datetime(taken: str) -> alt.DateTime:
    moment = dates.parse(taken)
    return alt.DateTime(
        year=moment.year, month=moment.month, date=moment.day, hours=moment.hour, minutes=moment.minute
    )
