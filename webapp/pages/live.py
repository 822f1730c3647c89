"""The "Live mirror" page: the camera runs in the browser, only landmarks reach this server.

The component (``webapp.mirror``) shows the camera as a mirror at the camera's rate with
the skeleton, plumb line and pelvis bar, runs MediaPipe's pose landmarker in the browser
(WebAssembly) and sends the landmarks and the person's mask a few times a second. This page
measures them with the photo code (``posture.live.mirror.MirrorSession``) and hands the
readout back to the component, which shows it. The picture itself reaches the server only
when the person captures a result: then the browser sends its few steadiest recent frames
as JPEG, analysed like photos with the full model (the same scale as photo analysis).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import streamlit as st

from posture.analyze import analyze
from posture.live.capture import CaptureResult, combine
from posture.live.mirror import MirrorSession, PayloadError
from posture.live.personal_range import (
    PersonalRange,
    RangeError,
    RangeFileError,
)
from posture.live.range_test import STEPS
from posture.render.wording import MIRROR_UNAVAILABLE, TECHNICAL_DETAILS
from webapp import common, mirror

LOGGER = logging.getLogger(__name__)
SEND_EVERY_MS = 120
"""The browser sends poses at most this often (and only after the previous answer)."""
KEY = "live_mirror_component"


@dataclass
class LiveState:
    """This browser session's live mirror state (in ``st.session_state``)."""

    session: MirrorSession = field(default_factory=lambda: MirrorSession(figures=common.error_figures()))
    playing: bool = False
    camera_error: str = ""
    capture_request: dict | None = None
    capture_how: str = ""
    next_capture_id: int = 1
    rerun_app: bool = False
    error: str = ""
    ack: int | None = None
    commands_done: tuple = ()


def live_state() -> LiveState:
    state = st.session_state.get("live_mirror")
    if not isinstance(state, LiveState):
        state = LiveState()
        st.session_state["live_mirror"] = state
    return state


def render() -> None:
    st.title("Live mirror")
    st.caption(
        "Stand side-on to your camera and see your pelvic tilt and lower-back curve live, "
        "as in a mirror. Coaching, not a diagnosis. The video stays in your browser: the "
        "pose is found there and only the body's landmarks and outline come to this app. "
        "A picture is sent only when you capture a result."
    )
    state = live_state()
    try:
        mirror.component()
    except mirror.MirrorUnavailable as error:
        LOGGER.warning("%s", error)  # the command that builds it is for whoever runs the server
        st.warning(MIRROR_UNAVAILABLE, icon=":material/videocam_off:")
        return
    mirror_fragment()
    if not state.playing:
        camera_help(state.camera_error)
    capture_controls(state)
    range_section(state)
    show_capture()


def request_capture(state: LiveState, how: str) -> None:
    """Ask the browser for its steadiest recent frames (by their timestamps)."""
    stamps = state.session.steadiest_timestamps()
    if not stamps:
        st.session_state["live_capture_error"] = (
            "No measurable frame in the last few seconds. Stand side-on with your whole body in "
            "view until the live tilt shows, then capture."
        )
        return
    st.session_state.pop("live_capture_error", None)
    state.capture_request = {"id": state.next_capture_id, "timestamps": stamps}
    state.capture_how = how
    state.next_capture_id += 1


def _on_message() -> None:
    """A message from the component (runs before the fragment's rerun): camera state, poses,
    capture frames, any of them; acknowledged by its ``seq`` so the browser sends the next."""
    state = live_state()
    message = st.session_state.get(KEY)
    if not isinstance(message, dict):
        return
    state.ack = message.get("seq")
    try:
        camera = message.get("camera")
        if isinstance(camera, dict):
            playing = camera.get("state") == "playing"
            error = str(camera.get("error") or "") if camera.get("state") == "error" else ""
            # the page around the mirror changes only when the camera's state does (a message
            # sent again carries the same state and must not rerun the page once more)
            state.rerun_app = state.rerun_app or playing != state.playing or error != state.camera_error
            state.camera_error, state.playing = error, playing
        if message.get("poses"):
            mirror.apply_poses(state.session, message)
            if state.session.take_capture_request():
                request_capture(state, "hands-free")
            test = state.session.range_test_status()
            if test is not None and test.phase == "done" and test.result is not None:
                state.session.set_range(test.result)
                state.session.stop_range_test()
                state.rerun_app = True
            elif test is not None and test.phase == "failed":
                state.session.stop_range_test()
                st.session_state["live_range_error"] = test.message
                state.rerun_app = True
        for command in list(message.get("commands") or [])[:16]:
            if isinstance(command, dict) and command.get("id") not in state.commands_done:
                state.commands_done = (*state.commands_done[-31:], command.get("id"))
                run_command(state, str(command.get("name")))
        capture = message.get("capture")
        if (
            isinstance(capture, dict)
            and state.capture_request
            and capture.get("id") == state.capture_request["id"]
        ):
            state.capture_request = None
            # Here, in the callback: a run of the page can be cut short by the next message,
            # a callback is not, so the analysis (seconds on a busy machine) always finishes.
            do_capture(state, capture)
            state.rerun_app = True
    except PayloadError as error:
        LOGGER.warning("live mirror message refused: %s", error)
        state.error = str(error)


def run_command(state: LiveState, command: str) -> None:
    """A button under the mirror: capture, hands-free capture, start or cancel the range test."""
    if command == "capture":
        request_capture(state, "with the button")
        state.rerun_app = state.rerun_app or state.capture_request is None  # show why not
    elif command == "hands_free":
        state.session.arm_auto_capture(True)
    elif command == "range_start":
        state.session.start_range_test()
        st.session_state.pop("live_range_error", None)
    elif command == "range_stop":
        state.session.stop_range_test()


@st.fragment
def mirror_fragment() -> None:
    """The component; reruns on its own with every message it sends."""
    state = live_state()
    mirror.component()(
        key=KEY,
        on_change=_on_message,
        default=None,
        readout=state.session.readout.to_component(),
        ack=state.ack,
        capture=state.capture_request,
        model_sha256=mirror.model_sha256(),
        send_every_ms=SEND_EVERY_MS,
    )
    if state.error:
        st.caption(f"Some data from the browser could not be read: {state.error}")
    if state.rerun_app:
        state.rerun_app = False
        st.rerun(scope="app")


def camera_help(error: str) -> None:
    st.info(
        ("" if not error else f"**The camera could not start: {error}.**  \n")
        + "**No picture?** Press *Start camera* and allow the camera when the browser asks.  \n"
        "- *NotAllowedError* or *Permission denied*: the camera was refused. Allow it for this "
        "page (the camera icon in the address bar) and reload.\n"
        "- *NotFoundError* or *Requested device not found*: no camera is connected or enabled.\n"
        "- *NotReadableError* or *Could not start video source*: another app (a video call) "
        "is using the camera. Close it and press *Start camera* again.\n\n"
        "No camera at hand? Take or upload a side-view photo instead.",
        icon=":material/videocam_off:",
    )
    try:
        from webapp.pages import photo

        st.page_link(
            st.Page(photo.render, title="Photo analysis", url_path="photo"),
            label="Analyse a photo instead",
            icon=":material/photo_camera:",
        )
    except Exception:  # the navigation differs: the text above still says what to do
        LOGGER.debug("no link to the photo page", exc_info=True)


def capture_controls(state: LiveState) -> None:
    st.markdown(
        "**Capture a result** (*Capture now* under the mirror, or *Hands-free*: it captures "
        "once you have held still for 3 s) analyses your steadiest frames of the last two "
        "seconds with the photo model. Only then do those few frames (JPEG) go from your "
        "browser to this app, which runs on your machine and keeps nothing."
    )
    if state.capture_request is not None:
        st.caption("Capturing…")


@dataclass(frozen=True)
class Captured:
    """A capture kept in this session: the result, how long it took, when and how it was taken."""

    result: CaptureResult
    seconds: float
    stamp: str
    how: str


def do_capture(state: LiveState, message: dict) -> None:
    started = time.perf_counter()
    try:
        jpegs = mirror.capture_jpegs(message)
    except PayloadError as error:
        st.session_state["live_capture_error"] = f"The captured frames could not be read: {error}"
        return
    if not jpegs:
        st.session_state["live_capture_error"] = (
            "The browser had no recent frame to send. Keep the camera running and capture again."
        )
        return
    estimator = common.require_estimator()
    figures = common.error_figures()
    result = combine([analyze(data, estimator, figures=figures) for data in jpegs], figures)
    st.session_state.pop("live_capture_error", None)
    st.session_state["live_capture_result"] = Captured(
        result, time.perf_counter() - started, time.strftime("%Y%m%d-%H%M%S"), state.capture_how
    )


def show_capture() -> None:
    error = st.session_state.get("live_capture_error")
    if error:
        st.warning(error, icon=":material/info:")
    kept = st.session_state.get("live_capture_result")
    if not isinstance(kept, Captured):
        return
    result = kept.result
    st.divider()
    st.header("Captured result")
    from webapp.pages import photo

    photo_result = common.Result(
        digest=kept.stamp, name=f"live-{kept.stamp}.png", analysis=result.analysis, seconds=kept.seconds
    )
    taken = time.strftime("%H:%M:%S", time.strptime(kept.stamp, "%Y%m%d-%H%M%S"))
    st.caption(f"Captured {kept.how} at {taken}.")
    if result.frames_used:
        spread = result.spread.get("pelvic_tilt")
        st.caption(
            f"{result.frames_used} of {result.frames_tried} frames measured and combined "
            f"(median)" + (f"; their tilts agreed within ±{spread:.1f}°." if spread is not None else ".")
        )
    with st.expander(TECHNICAL_DETAILS):
        st.caption(common.timing_text(photo_result))
    if not result.analysis.ok:
        common.show_rejection(photo_result)
        return
    blur = st.checkbox("Blur my face in the picture and the report", key="live_blur")
    photo.show_result(photo_result, blur=blur)


def range_section(state: LiveState) -> None:
    session = state.session
    st.subheader("Your personal tilt range")
    st.markdown(
        "A camera estimate of pelvic tilt differs from person to person by several degrees. "
        "Record your own relaxed, fully-forward and fully-back tilt, and the live readout "
        "shows where you stand in **your** range (0% = fully back, 100% = fully forward). "
        "Press *Start the range test* under the mirror; the steps show beside it. "
        "The range stays in this browser session unless you save it."
    )
    error = st.session_state.pop("live_range_error", None)
    if error:
        st.error(error)
    with st.expander("What the test asks", expanded=False):
        st.markdown("\n".join(f"{i}. {step.instruction}" for i, step in enumerate(STEPS, 1)))
    personal = session.personal_range
    if personal is not None:
        st.success(
            f"Range set: fully back {personal.max_posterior_deg:+.1f}°, relaxed "
            f"{personal.neutral_deg:+.1f}°, fully forward {personal.max_anterior_deg:+.1f}° "
            f"(recorded {personal.recorded_on.isoformat()}).",
            icon=":material/check:",
        )
        save_controls(personal)
    load_controls(session)


def save_controls(personal: PersonalRange) -> None:
    """The range leaves the session only as a file the visitor downloads: nothing is written on
    the server, where every other visitor of the app could list it (issue 11)."""
    st.download_button(
        "Download my range (JSON)",
        personal.to_json(),
        f"tilt-range-{personal.recorded_on.isoformat()}.json",
        "application/json",
        on_click="ignore",
        icon=":material/download:",
        key="live_range_download",
    )


def load_controls(session: MirrorSession) -> None:
    file = st.file_uploader("Load a saved range (JSON)", type=["json"], key="live_range_upload")
    if file is not None and st.session_state.get("live_range_file") != file.file_id:
        try:
            loaded = PersonalRange.from_json(file.getvalue())
        except (RangeFileError, RangeError) as error:
            st.error(str(error))
        else:  # applied once per uploaded file, so a later range test is not overridden
            st.session_state["live_range_file"] = file.file_id
            session.set_range(loaded)
            st.rerun()
