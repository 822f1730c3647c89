"""The "Live mirror" page: the webcam shown as a mirror with the live measures, capture, personal range.

Streamlit and streamlit-webrtc only; all the work is in ``posture.live.session`` (frame processor,
capture) and ``posture.live.personal_range`` (personal range). Each browser session gets its own
``LiveSession`` with its own lite VIDEO-mode estimator (MediaPipe tracks the person between
frames, so streams must not share one); the full model for captures is the app's shared one.

The frame callback runs on streamlit-webrtc's worker thread: it only touches its own
``LiveSession`` (captured in the closure, never ``st.session_state``), which hands the page
an immutable ``Readout`` behind a lock. The page polls it in a fragment every half second.

No outside network: ``{"iceServers": []}`` (no STUN/TURN) for the browser and for the server
(``server_rtc_configuration``; without it streamlit-webrtc 0.79 gives the server Google's STUN
server), so the browser and this server connect directly on the local machine or network.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import av
import numpy as np
import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from posture.live.capture import CaptureResult, NothingToCapture, capture
from posture.live.personal_range import PersonalRange, RangeError, RangeFileError
from posture.live.range_test import STEPS
from posture.live.readout import HOLD_STILL_S
from posture.live.session import LiveSession
from posture.pose import ModelUnavailable, PoseEstimator
from posture.render.wording import tilt_error_sentence
from webapp import common

LOGGER = logging.getLogger(__name__)

RTC_CONFIGURATION = {"iceServers": []}
"""No STUN or TURN server: nothing leaves this machine (browser and server are local)."""
MEDIA_CONSTRAINTS = {
    "video": {"width": {"ideal": 640}, "height": {"ideal": 480}, "frameRate": {"ideal": 30}},
    "audio": False,
}
TRANSLATIONS = {
    "start": "Start camera",
    "stop": "Stop camera",
    "device_ask_permission": "Please allow this page to use your camera (the browser asks above).",
    "device_access_denied": "Camera permission was refused",
    "device_not_available": "No camera found, or it is busy in another app",
    "media_api_not_available": "This browser cannot open a camera on this page",
}
REFRESH_S = 0.5
"""How often the readout beside the video is refreshed."""


@dataclass
class Live:
    """This browser session's live state: the frame processor and its frame callback."""

    session: LiveSession
    callback: object


def _callback(session: LiveSession):
    """The queued-frames callback for streamlit-webrtc: only the newest waiting frame is
    processed (the others are late: dropped and counted), numpy at the edges, never raises."""

    def on_frame(frame: av.VideoFrame) -> av.VideoFrame:
        rgb = frame.to_ndarray(format="rgb24")
        timestamp_ms = frame.time * 1000.0 if frame.time is not None else time.monotonic() * 1000.0
        try:
            out = session.process(rgb, timestamp_ms)
        except Exception as error:  # the stream must go on; the page shows the error
            LOGGER.exception("live frame could not be processed")
            session.record_error(error)
            out = np.ascontiguousarray(rgb[:, ::-1])
        return av.VideoFrame.from_ndarray(out, format="rgb24")

    async def on_frames(frames: list[av.VideoFrame]) -> list[av.VideoFrame]:
        if len(frames) > 1:
            session.note_late(len(frames) - 1)
        return [on_frame(frames[-1])]

    return on_frames


def live_state() -> Live:
    """This session's ``Live``, made on first use (loads the lite model: about 0.1 s)."""
    live = st.session_state.get("live")
    if not isinstance(live, Live):
        try:
            session = LiveSession(PoseEstimator("lite", video=True), figures=common.error_figures())
        except ModelUnavailable as error:
            st.error(f"The live mirror cannot start its pose model. {error}")
            st.stop()
            raise
        live = Live(session, _callback(session))
        st.session_state["live"] = live
    return live


def render() -> None:
    st.title("Live mirror")
    st.caption(
        "Stand side-on to your camera and see your pelvic tilt and lower-back curve live, "
        "as in a mirror. Coaching, not a diagnosis. The video is processed on this computer "
        "and stored nowhere."
    )
    live = live_state()
    session = live.session
    video, side = st.columns([3, 2])
    with video:
        ctx = webrtc_streamer(
            key="live-mirror",
            mode=WebRtcMode.SENDRECV,
            rtc_configuration=RTC_CONFIGURATION,
            # the server's side too: without it streamlit-webrtc gives aiortc Google's STUN
            # server (stun.l.google.com) and the server looks it up when a session starts
            server_rtc_configuration=RTC_CONFIGURATION,
            media_stream_constraints=MEDIA_CONSTRAINTS,
            queued_video_frames_callback=live.callback,
            async_processing=True,
            translations=TRANSLATIONS,
            video_html_attrs={"autoPlay": True, "controls": False, "muted": True, "style": {"width": "100%"}},
        )
        if not ctx.state.playing:
            camera_help()
    with side:
        readout_panel(session, playing=bool(ctx.state.playing))
        capture_controls(session, playing=bool(ctx.state.playing))
    range_section(session, playing=bool(ctx.state.playing))
    show_capture()


def camera_help() -> None:
    st.info(
        "**No picture?** Press *Start camera* and allow the camera when the browser asks.  \n"
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


@st.fragment(run_every=REFRESH_S)
def readout_panel(session: LiveSession, *, playing: bool) -> None:
    """The live numbers beside the video, refreshed every ``REFRESH_S`` seconds."""
    r = session.snapshot()
    if r.error:
        st.error(f"Some frames could not be processed: {r.error}")
    if not playing and r.processed == 0:
        st.markdown("**Live readout** appears here once the camera runs.")
        return
    if r.guidance:
        st.warning(
            f"**{r.guidance}.** {r.message}" if r.message else f"**{r.guidance}.**",
            icon=":material/directions_walk:",
        )
    elif r.measured:
        st.success("Good position: hold it, or capture a result.", icon=":material/check_circle:")
    tilt, lumbar = st.columns(2)
    tilt.metric(
        "Pelvic tilt (live)",
        "—" if r.tilt_deg is None else f"{r.tilt_deg:+.0f}°",
        help=f"Smoothed estimate, anterior (bottom out) positive. {tilt_error_sentence(common.error_figures())}",
    )
    lumbar.metric("Lumbar curve (live)", "—" if r.lordosis_deg is None else f"{r.lordosis_deg:.0f}°")
    if r.tilt_class:
        st.caption(f"Class: {r.tilt_class}")
    if r.range_percent is not None and r.neutral_percent is not None:
        st.markdown(f"**Your range: {r.range_percent:.0f}%** — {r.range_words}")
        st.image(range_bar_svg(r.range_percent, r.neutral_percent), width="stretch")
    test = r.range_test
    if test is not None:
        range_test_progress(session, test)
    if r.auto_capture_armed:
        left = max(0.0, HOLD_STILL_S - r.steady_for_s)
        st.info(f"Hands-free capture: hold still… {left:.0f} s", icon=":material/timer:")
    if session.take_capture_request():
        do_capture(session, how="hands-free")
        st.rerun()
    st.caption(
        f"{r.fps:.1f} frames/s processed · {r.processed} frames · "
        f"{r.dropped_late + r.dropped_busy + r.dropped_stale} late frames skipped"
        + (f" · {r.latency_ms:.0f} ms per frame" if r.latency_ms else "")
    )


def range_test_progress(session: LiveSession, test) -> None:
    if test.phase in ("ready", "record"):
        action = "Get into position" if test.phase == "ready" else "Hold it — recording"
        st.info(
            f"**Range test, step {test.step + 1} of {len(STEPS)}.** {test.instruction}  \n"
            f"{action}: {test.seconds_left:.0f} s",
            icon=":material/straighten:",
        )
        if test.message:
            st.warning(test.message)
    elif test.phase == "done" and test.result is not None:
        session.set_range(test.result)
        session.stop_range_test()
        st.rerun()
    elif test.phase == "failed":
        session.stop_range_test()
        st.session_state["live_range_error"] = test.message
        st.rerun()


def range_bar_svg(percent: float, neutral: float) -> str:
    """0 % (fully back) on the left, 100 % (fully forward) on the right, a tick at relaxed."""
    x = 20 + 3.6 * float(np.clip(percent, 0, 100))
    n = 20 + 3.6 * float(np.clip(neutral, 0, 100))
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="400" height="58" viewBox="0 0 400 58"
 role="img" aria-label="Your tilt at {percent:.0f}% of your range; relaxed at {neutral:.0f}%">
<defs><linearGradient id="g"><stop offset="0" stop-color="#5a8cff"/><stop offset="1" stop-color="#ff963c"/></linearGradient></defs>
<rect x="20" y="14" width="360" height="14" rx="7" fill="url(#g)"/>
<line x1="{n:.1f}" y1="8" x2="{n:.1f}" y2="34" stroke="#2e9e5b" stroke-width="4"/>
<circle cx="{x:.1f}" cy="21" r="9" fill="#fff" stroke="#222" stroke-width="2"/>
<text x="20" y="52" font-family="sans-serif" font-size="12" fill="#333">fully back (0%)</text>
<text x="{n:.1f}" y="52" font-family="sans-serif" font-size="12" fill="#2e9e5b" text-anchor="middle">relaxed</text>
<text x="380" y="52" font-family="sans-serif" font-size="12" fill="#333" text-anchor="end">fully forward (100%)</text>
</svg>"""


def capture_controls(session: LiveSession, *, playing: bool) -> None:
    st.markdown("**Capture a result**")
    now, hands_free = st.columns(2)
    if now.button(
        "Capture now",
        icon=":material/photo_camera:",
        disabled=not playing,
        key="live_capture",
        help="Analyses your steadiest frames of the last few seconds with the photo model and combines them.",
    ):
        do_capture(session, how="with the button")
    if hands_free.button(
        f"Hands-free: hold still {HOLD_STILL_S:.0f} s",
        icon=":material/timer:",
        disabled=not playing,
        key="live_hands_free",
        help="Captures by itself once you have held still for 3 seconds.",
    ):
        session.arm_auto_capture(True)


@dataclass(frozen=True)
class Captured:
    """A capture kept in this session: the result, how long it took, when and how it was taken."""

    result: CaptureResult
    seconds: float
    stamp: str
    how: str


def do_capture(session: LiveSession, *, how: str) -> None:
    started = time.perf_counter()
    try:
        with st.spinner("Analysing your steadiest frames…"):
            result = capture(session, common.require_estimator())
    except NothingToCapture as error:
        st.session_state["live_capture_error"] = str(error)
        st.session_state.pop("live_capture_result", None)
        return
    st.session_state.pop("live_capture_error", None)
    st.session_state["live_capture_result"] = Captured(
        result, time.perf_counter() - started, time.strftime("%Y%m%d-%H%M%S"), how
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
            f"(median)"
            + (f"; their tilts agreed within ±{spread:.1f}°." if spread is not None else ".")
            + f" {common.timing_text(photo_result)}"
        )
    if not result.analysis.ok:
        common.show_rejection(photo_result)
        return
    blur = st.checkbox("Blur my face in the picture and the report", key="live_blur")
    photo.show_result(photo_result, blur=blur)


def range_section(session: LiveSession, *, playing: bool) -> None:
    st.subheader("Your personal tilt range")
    st.markdown(
        "A camera estimate of pelvic tilt differs from person to person by several degrees. "
        "Record your own relaxed, fully-forward and fully-back tilt, and the live readout "
        "shows where you stand in **your** range (0% = fully back, 100% = fully forward). "
        "The range stays in this browser session unless you save it."
    )
    error = st.session_state.pop("live_range_error", None)
    if error:
        st.error(error)
    personal = session.personal_range
    start, stop = st.columns(2)
    if start.button(
        "Start the range test",
        icon=":material/straighten:",
        disabled=not playing,
        key="live_range_start",
        help="Three positions, 3 s to get ready and 3 s to hold each.",
    ):
        session.start_range_test()
    if stop.button("Cancel the test", key="live_range_stop"):
        session.stop_range_test()
    with st.expander("What the test asks", expanded=False):
        st.markdown("\n".join(f"{i}. {step.instruction}" for i, step in enumerate(STEPS, 1)))
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


def load_controls(session: LiveSession) -> None:
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
