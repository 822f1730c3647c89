"""The "Photo analysis" page: one photo in, the annotated result, the routine and downloads out."""

from __future__ import annotations

import streamlit as st

from posture import routines
from posture.assess.verdict import DEFAULT
from posture.records.filenames import safe_filename
from posture.render import report
from posture.render import routine_sheet as routine_export
from posture.render.handover import Recipient
from posture.render.illustrations import exercise_svg
from posture.render.range_picture import tilt_picture
from posture.render.wording import (
    markers_text,
    overlay_key,
    routine_reason,
    tilt_error_sentence,
    tilt_number_text,
    tilt_range_alt,
)
from posture.routines import Routine, RoutineItem, safety
from posture.routines.safety import ScreenResult
from posture.types import Analysis, TiltMethod
from webapp import common, workspace

SLOT = "photo"


def render() -> None:
    st.title("Posture analyzer")
    st.caption(
        "Pelvic tilt and lumbar curve estimates from one side-view photo. "
        "Coaching, not a diagnosis. Your photo stays in this browser session and is "
        "stored nowhere unless you download it or save it to a client."
    )
    common.require_estimator()  # load the model now, so the first photo is fast

    with st.expander("How to take the photo"):
        st.image(common.setup_svg(), width=520, alt="Diagram of a good photo set-up")
        st.markdown("\n".join(f"- {tip}" for tip in common.TIPS))
    with st.expander("For a measured tilt: two skin stickers"):
        st.image(common.sticker_svg(), width=420, alt="Where the two stickers go on the pelvis")
        st.markdown("\n".join(f"- {tip}" for tip in common.STICKER_TIPS))
        st.caption(
            "With both stickers found, the tilt is measured from them and the estimate is shown "
            "beside it. Without stickers, the tilt is estimated from the outline of the back."
        )

    source = st.segmented_control(
        "Photo", ["Upload a photo", "Take a photo"], default="Upload a photo", key="photo_source"
    )
    if source == "Take a photo":
        shot = st.camera_input("Stand side-on to the camera, head to feet in the picture", key="photo_camera")
    else:
        shot = st.file_uploader(
            "Side-view photo (JPEG, PNG, WebP or HEIC)", type=common.UPLOAD_TYPES, key="photo_upload"
        )
        st.caption(common.upload_rules())
    blur = st.checkbox("Blur my face in the picture and the report", key="photo_blur")
    if shot is None:
        common.forget(SLOT)
        st.info("Upload a side-view photo or take one with the camera to see your result.")
        return

    result = common.analyse_upload(shot.getvalue(), shot.name, slot=SLOT)
    st.caption(common.timing_text(result))
    if not result.analysis.ok:
        common.show_rejection(result)
        return
    show_result(result, blur=blur, photo=shot.getvalue())


def show_result(result: common.Result, *, blur: bool, photo: bytes = b"") -> None:
    """The result, with the joints the trainer moved by hand (``workspace.corrected``) and
    "Save to client"; ``photo`` is the uploaded file, read for its EXIF date (a live capture
    passes none and is dated now)."""
    fixed = workspace.corrected(result)
    shown = workspace.corrected_result(result, fixed)
    analysis = fixed.analysis
    picture, numbers = st.columns([2, 3])
    with picture:
        if st.toggle(
            "Correct landmarks by hand",
            key="correct_mode",
            help="Move the ear, shoulder, hip, knee or ankle where the analyzer placed "
            "it wrongly; every measure is recomputed.",
        ):
            workspace.correction_picture(result, fixed, blur=blur)
        else:
            st.image(
                shown.annotated_jpeg(blur=blur),
                width="stretch",
                alt="Your photo with the measures drawn on it",
                caption=picture_caption(analysis),
            )
    with numbers:
        show_verdict(analysis)
        if fixed.originals:
            st.info(
                "Corrected by hand: "
                + ", ".join(
                    report.MEASURE_GUIDE[name].label
                    for name in fixed.originals
                    if name in report.MEASURE_GUIDE
                )
                + ".",
                icon=":material/edit:",
            )
    st.subheader("Measures")
    st.table(workspace.measure_table(analysis, fixed.originals))
    routine, screen = show_routine(analysis)
    workspace.save_box(result, photo, fixed, routine, blur=blur)
    show_downloads(
        shown,
        blur=blur,
        routine=routine,
        screen=screen,
        recipient=workspace.recipient(photo),
        corrected=fixed.originals,
    )


def picture_caption(analysis: Analysis) -> str:
    """What the colours on the annotated photo mean."""
    return overlay_key(analysis)


def show_verdict(analysis: Analysis) -> None:
    """The verdict in the client's words, the picture of the range with their mark, the
    number with its convention one click away, then the lumbar curve."""
    a = analysis.assessment
    st.subheader(report.verdict_text(analysis))
    scale = tilt_picture(analysis)
    if scale:
        st.image(scale, width=360, alt=tilt_range_alt(analysis))
    number = tilt_number_text(analysis)
    if number:
        with st.expander("Your number and how it is measured"):
            st.markdown(number)
            st.caption(report.MEASURE_GUIDE["pelvic_tilt"].normal)
    lordosis = analysis.measure("lumbar_lordosis")
    st.metric(
        "Lumbar curve",
        "not measured" if lordosis is None else f"{lordosis:.0f}°",
        help=report.MEASURE_GUIDE["lumbar_lordosis"].normal,
    )
    kendall = report.kendall_text(analysis)
    if kendall:
        st.markdown(kendall)
    for note in a.notes if a else ():
        st.caption(note)
    from_markers = markers_text(analysis, common.marker_figures())
    if from_markers and a is not None and a.method is TiltMethod.MARKERS:
        st.success(from_markers, icon=":material/my_location:")
    elif from_markers:
        st.warning(from_markers)
    if a is None or a.method is not TiltMethod.MARKERS:
        st.caption(
            f"An estimate from the outline of your back. {tilt_error_sentence(common.error_figures())}"
        )


def show_routine(analysis: Analysis) -> tuple[Routine | None, ScreenResult | None]:
    """The matching routine behind its safety screen; returns both (None without a tilt)."""
    a = analysis.assessment
    if a is None or a.tilt_class is None:
        st.subheader("Routine")
        st.info("No routine without a pelvic tilt estimate. Retake the photo following the tips.")
        return None, None
    routine = routines.choose_routine(
        a.tilt_class,
        confidence=a.confidence,
        kendall_type=a.kendall,
        lumbar_degrees=analysis.measure("lumbar_lordosis"),
        lumbar_range=(DEFAULT.lordosis_low, DEFAULT.lordosis_high),
        catalogue=common.catalogue(),
    )
    st.subheader(routine.title)
    why = routine_reason(analysis, routine)
    if why:
        st.markdown(f"**Why this routine:** {why}")
    st.markdown(f"{routine.goal} About {routine.total_minutes} minutes.")
    for extra in (routine.note, routine.retake_advice):
        if extra:
            st.info(extra)
    screen = safety_screen(routine)
    if screen.blocked:
        st.error(screen.message, icon=":material/emergency:")
        return routine, screen
    names = ", ".join(item.exercise.name for item in routine.items)
    if screen.unanswered:
        st.warning(screen.message)
        st.markdown(f"**Exercises:** {names}. Answer the safety questions to see the steps.")
        return routine, screen
    st.success(screen.message)
    for number, item in enumerate(routine.items, 1):
        show_exercise(number, item)
    st.caption(routine.disclaimer)
    return routine, screen


def safety_screen(routine: Routine) -> ScreenResult:
    """The red-flag questions as Yes/No choices; unanswered ones stay unanswered."""
    with st.container(border=True):
        st.markdown("**Before you start: safety check.** If any answer is yes, do not start.")
        answers = {}
        for flag in routine.red_flags:
            choice = st.radio(
                flag.question, ["No", "Yes"], index=None, horizontal=True, key=f"flag_{flag.id}"
            )
            if choice is not None:
                answers[flag.id] = choice == "Yes"
    return safety.screen(answers)


def show_exercise(number: int, item: RoutineItem) -> None:
    ex = item.exercise
    with st.expander(f"{number}. {ex.name} — {ex.dose.describe()}", expanded=number == 1):
        picture, text = st.columns([1, 3])
        svg = exercise_svg(ex, width_px=160)
        if svg:
            picture.image(svg, width="stretch", alt=f"Drawing of {ex.name}")
        text.markdown(f"{ex.purpose} *{item.why}*")
        text.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(ex.steps, 1)))
        text.markdown(
            f"**Tips:** {' '.join(ex.cues)}  \n**Common mistake:** {ex.common_mistake}  \n"
            f"**Easier:** {ex.easier}  \n**Harder:** {ex.harder}  \n"
            f"**When not to do it:** {' '.join(ex.avoid_if)}"
        )


def show_downloads(
    result: common.Result,
    *,
    blur: bool,
    routine: Routine | None,
    screen: ScreenResult | None,
    recipient: Recipient | None = None,
    corrected: dict[str, float | None] | None = None,
) -> None:
    """The downloads; the reports name ``recipient`` (client, trainer, session date) and mark
    the ``corrected`` measures."""
    st.subheader("Download")
    offered = routine is not None
    if screen is None or screen.unanswered:
        routine = None  # no exercise goes into a download before the safety questions are answered
    analysis = result.blurred_analysis(blur)
    stem = result.name.rsplit(".", 1)[0]
    tail = "-blurred" if blur else ""
    options = dict(
        figures=common.error_figures(),
        routine=routine,
        screen=screen,
        face_blurred=blur,
        recipient=recipient,
        corrected=corrected,
    )  # the PDF and the HTML report say the same

    def inputs() -> report.PhotoReport:
        return report.PhotoReport(analysis, result.annotated(blur=blur), **options)

    cols = st.columns(5)
    cols[0].download_button(
        "Annotated image",
        lambda: common.png_bytes(result.annotated(blur=blur)),
        safe_filename(stem, f"{tail}-annotated.png", fallback="photo"),
        "image/png",
        on_click="ignore",
        icon=":material/image:",
    )
    cols[1].download_button(
        "Report (PDF)",
        lambda: report.photo_report_pdf(inputs()),
        safe_filename(stem, f"{tail}-report.pdf", fallback="photo"),
        "application/pdf",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[2].download_button(
        "Report (HTML)",
        lambda: report.photo_report_html(inputs()),
        safe_filename(stem, f"{tail}-report.html", fallback="photo"),
        "text/html",
        on_click="ignore",
        icon=":material/print:",
    )
    cols[3].download_button(
        "Measures (CSV)",
        lambda: report.measures_csv(analysis),
        safe_filename(stem, f"{tail}-measures.csv", fallback="photo"),
        "text/csv",
        on_click="ignore",
    )
    cols[4].download_button(
        "Measures (JSON)",
        lambda: report.analysis_json(
            analysis, figures=common.error_figures(), routine=routine, face_blurred=blur
        ),
        safe_filename(stem, f"{tail}-measures.json", fallback="photo"),
        "application/json",
        on_click="ignore",
    )
    if offered and (routine is None or screen.blocked):
        st.caption("The routine sheet can be downloaded once every safety question above is answered no.")
    elif routine is not None:
        left, right, _ = st.columns([1, 1, 3])
        left.download_button(
            "Routine (PDF)",
            lambda: routine_export.to_pdf(routine, screen=screen),
            safe_filename(f"routine-{routine.id}", ".pdf", fallback="routine"),
            "application/pdf",
            on_click="ignore",
        )
        right.download_button(
            "Routine (HTML)",
            lambda: routine_export.to_html(routine, screen=screen),
            safe_filename(f"routine-{routine.id}", ".html", fallback="routine"),
            "text/html",
            on_click="ignore",
        )
    st.caption(
        "Face blurred in the image and the report."
        if blur
        else "Tick “Blur my face” above to hide your face in the image and the report."
    )
