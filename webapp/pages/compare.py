"""The "Compare two photos" page: a trainer's before/after or two clients, aligned and tabled."""

from __future__ import annotations

import streamlit as st

from posture.assess import compare
from posture.assess.proportions import look_like_different_people
from posture.render import align, report, wording
from webapp import common

SLOTS = ("compare_first", "compare_second")
DEFAULT_LABELS = ("Before", "After")


def render() -> None:
    st.title("Compare two photos")
    st.caption(
        "Before and after, or two clients. Both are scaled to the same body height with "
        "the ankles on one baseline. A change is called real only when it is larger than "
        "the measurement error."
    )
    st.caption(setup_advice(common.error_figures()))
    common.require_estimator()
    results, labels = [], []
    for column, slot, default, ordinal in zip(st.columns(2), SLOTS, DEFAULT_LABELS, ("First", "Second")):
        with column:
            label = st.text_input(
                "Label", default, key=f"{slot}_label", help="For example “before — 1 Oct” or a client's name."
            )
            label = label.strip() or default
            # A fixed label: a widget whose label changes is a new widget and would drop the photo.
            upload = st.file_uploader(f"{ordinal} photo", type=common.UPLOAD_TYPES, key=f"{slot}_upload")
            labels.append(label)
            if upload is None:
                common.forget(slot)
                results.append(None)
                continue
            result = common.analyse_upload(upload.getvalue(), upload.name, slot=slot)
            with st.expander(wording.TECHNICAL_DETAILS):
                st.caption(common.timing_text(result))
            results.append(result)
    options = st.columns(3)
    blur = options[0].checkbox("Blur faces", key="compare_blur")
    same_facing = options[1].checkbox("Mirror so both face the same way", value=True, key="compare_mirror")

    if any(r is None for r in results):
        st.info("Add both photos to compare them.")
    for result, label in zip(results, labels):
        if result is not None and not result.analysis.ok:
            common.show_rejection(result, label=label)
    accepted = [(r, label) for r, label in zip(results, labels) if r is not None and r.analysis.ok]
    if len(accepted) == 2:
        show_comparison(results[0], results[1], (labels[0], labels[1]), blur=blur, same_facing=same_facing)
    elif accepted:
        result, label = accepted[0]
        st.subheader(f"{label}: {report.verdict_text(result.analysis)}")
        left, right = st.columns([2, 3])
        left.image(result.annotated_jpeg(blur=blur), width="stretch", alt=f"{label}: the analysed photo")
        with right:
            st.table(common.measure_table(result.analysis))


def show_comparison(
    first: common.Result, second: common.Result, labels: tuple[str, str], *, blur: bool, same_facing: bool
) -> None:
    a, b = first.blurred_analysis(blur), second.blurred_analysis(blur)
    aligned = align.align_pair(a, b, same_facing=same_facing)
    side = [
        align.draw_baseline(align.with_skeleton(photo, colour))
        for photo, colour in zip(aligned, (align.FIRST_COLOR, align.SECOND_COLOR))
    ]

    if look_like_different_people(a.landmarks, b.landmarks):
        st.warning(wording.DIFFERENT_PEOPLE_WARNING, icon=":material/group:")
    st.subheader("Side by side and ghost overlay")
    columns = st.columns(3)
    for column, image, label, analysis, mirrored in zip(
        columns, side, labels, (a, b), (p.mirrored for p in aligned)
    ):
        column.markdown(f"**{label}**")
        column.image(
            common.jpeg_bytes(image),
            width="stretch",
            alt=f"{label}: aligned photo",
            caption=report.verdict_text(analysis) + (" (mirrored)" if mirrored else ""),
        )
    with columns[2]:
        st.markdown("**Ghost overlay**")
        opacity = st.slider(
            f"Opacity of “{labels[1]}” over “{labels[0]}”", 0.0, 1.0, 0.5, 0.05, key="compare_opacity"
        )
        overlay = align.draw_baseline(align.ghost(*aligned, opacity=opacity))
        st.image(
            common.jpeg_bytes(overlay),
            width="stretch",
            alt="Ghost overlay of both photos",
            caption=f"Blue skeleton: {labels[0]}. Orange skeleton: {labels[1]}. Grey "
            "lines: the common ankle row and plumb line.",
        )

    st.subheader("Measures")
    replaced = True
    if compare.markers_compared(a, b, common.marker_figures()):
        replaced = (
            st.radio(
                "Both photos have skin stickers. Between the two photos the stickers were",
                ["placed again (another session)", "left in place (same session)"],
                key="compare_stickers",
                horizontal=True,
            )
            != "left in place (same session)"
        )
    rows = compare.compare_measures(
        a,
        b,
        errors=compare.measurement_errors(common.error_figures()),
        marker_figures=common.marker_figures(),
        stickers_replaced=replaced,
    )
    st.table(comparison_table(rows, labels))
    st.caption(report.CHANGE_ERROR_TEXT)
    show_not_compared(rows, labels)

    st.subheader("Export the comparison")
    images = side + [align.ghost(*aligned, opacity=0.5)]
    comparison = report.ComparisonReport(
        a, b, rows, labels, figures=common.error_figures(), images=images, face_blurred=blur
    )
    cols = st.columns(4)
    cols[0].download_button(
        "Report (PDF)",
        lambda: report.comparison_report_pdf(comparison),
        "comparison.pdf",
        "application/pdf",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[1].download_button(
        "Report (HTML)",
        lambda: report.comparison_report_html(comparison),
        "comparison.html",
        "text/html",
        on_click="ignore",
        icon=":material/print:",
    )
    cols[2].download_button(
        "Table (CSV)",
        lambda: report.comparison_csv(rows, labels),
        "comparison.csv",
        "text/csv",
        on_click="ignore",
    )
    cols[3].download_button(
        "Table (JSON)",
        lambda: report.comparison_json(a, b, rows, labels, figures=common.error_figures(), face_blurred=blur),
        "comparison.json",
        "application/json",
        on_click="ignore",
    )


def setup_advice(figures) -> str:
    """How to take the two photos so that the error limits hold (they were measured that way)."""
    text = (
        "Take both photos in the same set-up: the same clothes, arms in the same place, the "
        "camera in the same spot and height. The error limits below were measured that way."
    )
    other = figures.tilt_change_limit_varied_setup
    if other:
        text += (
            f" Between photos with different clothes, arms or camera the tilt can differ by up "
            f"to ±{other:.0f}° without any real change."
        )
    return text


def show_not_compared(rows: list[compare.ComparisonRow], labels: tuple[str, str]) -> None:
    """The measures without a measured change limit: their values, no verdict."""
    lines = [wording.not_compared_line(r, labels) for r in rows if not r.compared]
    if lines:
        st.markdown(f"**{wording.NOT_COMPARED_TITLE}**")
        st.caption(wording.NOT_COMPARED_TEXT)
        st.markdown("\n".join(f"- {line}" for line in lines))


def comparison_table(rows: list[compare.ComparisonRow], labels: tuple[str, str]) -> list[dict[str, str]]:
    """Rows for the page: measure, both values, difference, error, verdict; only the measures
    with a measured change limit (``ComparisonRow.compared``; the others: ``show_not_compared``)."""
    first, second = _column_names(labels)
    table = []
    for r in rows:
        if not r.compared:
            continue
        verdict = r.verdict if r.real is not None else f"cannot say ({r.note})"
        if r.real is not None and r.note:
            verdict += f" ({r.note})"
        label = report.MEASURE_GUIDE[r.name].label
        if r.error.basis.startswith("markers"):
            label += " (from skin markers)"
        table.append(
            {
                "Measure": label,
                first: report.format_value(r.name, r.first),
                second: report.format_value(r.name, r.second),
                "Difference": report.format_difference(r),
                "Error": report.format_error(r),
                "Change": verdict,
            }
        )
    return table


def _column_names(labels: tuple[str, str]) -> tuple[str, str]:
    """Column headings for the two photos that clash with neither each other nor the others."""
    taken = {"Measure", "Difference", "Error", "Change"}
    first = labels[0] if labels[0] not in taken else f"{labels[0]} (1)"
    second = labels[1] if labels[1] not in taken | {first} else f"{labels[1]} (2)"
    return first, second
