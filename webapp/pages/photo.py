"""The "Photo analysis" page: one photo in, the annotated result, the routine and downloads out.

With a result shown the page reads, top to bottom: the verdict and a pointer to the routine
beside the photo (stacked on a phone, the verdict first and the photo no taller than most of
the screen), the routine, the measures, saving and downloads, then the technical details and
the photo tips. The browser asks before a reload or close loses the result (``guard_reload``).
"""

from __future__ import annotations

import streamlit as st

from posture import routines
from posture.assess.verdict import DEFAULT
from posture.render import report
from posture.render.handover import model_name
from posture.render.illustrations import exercise_svg
from posture.render.range_picture import tilt_picture
from posture.render.wording import (
    RELOAD_NOTE,
    TECHNICAL_DETAILS,
    markers_text,
    overlay_key,
    routine_pointer,
    routine_reason,
    technical_line,
    technical_rows,
    tilt_error_sentence,
    tilt_number_text,
    tilt_range_alt,
)
from posture.routines import Routine, RoutineItem, safety
from posture.routines.safety import ScreenResult
from posture.types import Analysis, TiltMethod
from webapp import common, downloads, workspace

SLOT = "photo"
RESULT_KEY = "photo_result"
"""The key of the result's container: its CSS class ``st-key-photo_result`` marks a result on
the page (for the phone layout and the reload warning)."""

PHONE_CSS = """<style>
@media (max-width: 640px) {
  .st-key-photo_result [data-testid="stImage"] img {
    max-height: 65vh; width: auto !important; max-width: 100%; margin: 0 auto; display: block; }
}
</style>"""
"""On a phone the columns stack; the photo then scales to fit 65% of the screen's height."""

RELOAD_GUARD = """<script>
if (!window.postureReloadGuard) {
  window.postureReloadGuard = true;
  window.addEventListener("beforeunload", (event) => {
    if (document.querySelector(".st-key-photo_result")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
</script>"""
"""Makes the browser ask before leaving the page while a result is on it (photos are never
stored, so a reload cannot bring the result back)."""


def render() -> None:
    st.title("Posture analyzer")
    st.caption(
        "Pelvic tilt and lumbar curve estimates from one side-view photo. "
        "Coaching, not a diagnosis. Your photo stays in this browser session and is "
        "stored nowhere unless you download it or save it to a client."
    )
    common.require_estimator()  # load the model now, so the first photo is fast
    tips = st.container()  # the tips go here before a photo, below the result after one

    source = st.segmented_control(
        "Photo", ["Upload a photo", "Take a photo"], default="Upload a photo", key="photo_source"
    )
    if source == "Take a photo":
        shot = st.camera_input("Stand side-on to the camera, head to feet in the picture", key="photo_camera")
    else:
        shot = st.file_uploader(
            "Side-view photo (JPEG, PNG, WebP or HEIC)", type=common.UPLOAD_TYPES, key="photo_upload"
        )
        if shot is None:
            st.caption(common.upload_rules())
    blur = st.checkbox("Blur my face in the picture and the report", key="photo_blur")
    if shot is None:
        common.forget(SLOT)
        with tips:
            photo_tips()
        st.info("Upload a side-view photo or take one with the camera to see your result.")
        return

    result = common.analyse_upload(shot.getvalue(), shot.name, slot=SLOT)
    if result.analysis.ok:
        show_result(result, blur=blur, photo=shot.getvalue())
    else:
        common.show_rejection(result)
    with st.expander(TECHNICAL_DETAILS):
        technical_details(result)
    photo_tips()


def photo_tips() -> None:
    """How to take the photo, and the two stickers for a measured tilt (collapsed)."""
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


def technical_details(result: common.Result) -> None:
    """The timing, the pose model and each measure's technical name, source and code."""
    st.caption(common.timing_text(result))
    st.caption(technical_line(result.analysis, model_name(result.analysis.model)))
    if result.analysis.ok:
        st.table(technical_rows())


def show_result(result: common.Result, *, blur: bool, photo: bytes = b"") -> None:
    """The result, with the joints the trainer moved by hand (``workspace.corrected``) and
    "Save to client"; ``photo`` is the uploaded file, read for its EXIF date (a live capture
    passes none and is dated now)."""
    fixed = workspace.corrected(result)
    shown = workspace.corrected_result(result, fixed)
    analysis = fixed.analysis
    routine = choose_routine(analysis)
    st.html(PHONE_CSS)
    with st.container(key=RESULT_KEY):
        numbers, picture = st.columns([3, 2])
        with numbers:
            show_verdict(analysis, routine)
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
        with picture:
            show_picture(result, shown, fixed, blur=blur)
        screen = show_routine(analysis, routine)
        st.subheader("Measures")
        st.table(workspace.measure_table(analysis, fixed.originals))
        workspace.save_box(result, photo, fixed, routine, blur=blur)
        downloads.show(
            shown,
            blur=blur,
            routine=routine,
            screen=screen,
            recipient=workspace.recipient(photo),
            corrected=fixed.originals,
        )
        st.caption(RELOAD_NOTE)
    st.html(RELOAD_GUARD, unsafe_allow_javascript=True)


def show_picture(result: common.Result, shown: common.Result, fixed, *, blur: bool) -> None:
    """The annotated photo (scaled to its column), or the landmarks to move by hand."""
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
            caption=overlay_key(shown.analysis),  # what the colours mean
        )


def show_verdict(analysis: Analysis, routine: Routine | None = None) -> None:
    """The verdict in the client's words, the picture of the range with their mark, the
    routine's name, the number with its convention one click away, then the lumbar curve."""
    a = analysis.assessment
    st.subheader(report.verdict_text(analysis))
    scale = tilt_picture(analysis)
    if scale:
        st.image(scale, width=360, alt=tilt_range_alt(analysis))
    if routine is not None:
        st.markdown(routine_pointer(routine))
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


def choose_routine(analysis: Analysis) -> Routine | None:
    """The routine matching everything the page shows (None without a tilt class)."""
    a = analysis.assessment
    if a is None or a.tilt_class is None:
        return None
    return routines.choose_routine(
        a.tilt_class,
        confidence=a.confidence,
        kendall_type=a.kendall,
        lumbar_degrees=analysis.measure("lumbar_lordosis"),
        lumbar_range=(DEFAULT.lordosis_low, DEFAULT.lordosis_high),
        catalogue=common.catalogue(),
    )


def show_routine(analysis: Analysis, routine: Routine | None) -> ScreenResult | None:
    """The routine behind its safety screen; returns the screen (None without a routine)."""
    if routine is None:
        st.subheader("Routine")
        st.info("No routine without a pelvic tilt estimate. Retake the photo following the tips.")
        return None
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
        return screen
    names = ", ".join(item.exercise.name for item in routine.items)
    if screen.unanswered:
        st.warning(screen.message)
        st.markdown(f"**Exercises:** {names}. Answer the safety questions to see the steps.")
        return screen
    st.success(screen.message)
    for number, item in enumerate(routine.items, 1):
        show_exercise(number, item)
    st.caption(routine.disclaimer)
    return screen


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
