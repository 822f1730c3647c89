"""What the pages share: the model loaded once per server, analyses kept per session, texts, pictures.

``estimator()`` is behind ``st.cache_resource``: one ``PoseEstimator`` for every browser
session of this server. Its own lock serialises calls, so sessions can share it safely.
Analyses live in ``st.session_state`` (memory of one browser session, gone when it closes):
nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from dataclasses import dataclass, field, replace

import numpy as np
import streamlit as st
from PIL import Image

from posture.analyze import analyze
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.pose import ModelUnavailable, PoseEstimator
from posture.render.overlay import annotate
from posture.render.privacy import blur_face
from posture.render.report import MEASURE_GUIDE, measure_rows
from posture.render.wording import REASON_TITLES
from posture.types import Analysis
from webapp import gate

UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]
"""File endings the upload boxes accept (HEIC/HEIF through pillow-heif when installed)."""


@st.cache_resource(
    show_spinner="Loading the pose model (once per server)…", on_release=lambda model: model.close()
)
def estimator() -> PoseEstimator:
    """The full pose model, shared by every session (``PoseEstimator`` is thread-safe)."""
    return PoseEstimator("full")


def require_estimator() -> PoseEstimator:
    """The shared estimator, or an error on the page naming the command that fixes it."""
    try:
        return estimator()
    except ModelUnavailable as error:
        st.error(f"The app cannot start its pose model. {error}")
        st.stop()
        raise  # st.stop() raises; this line is for type checkers


@st.cache_resource(show_spinner=False)
def error_figures() -> ErrorFigures:
    """The error figures the verdicts and comparisons rest on, read once per server.

    A missing or bad file raises ``ErrorFiguresError`` here, at start-up (``app.py`` calls this
    first), instead of the app showing verdicts without a known error.
    """
    return ErrorFigures.load()


@st.cache_resource(show_spinner=False)
def marker_figures() -> MarkerFigures:
    """The error figures of the tilt from skin stickers, read once per server."""
    return MarkerFigures.load()


@st.cache_resource(show_spinner=False)
def catalogue():
    """The exercise catalogue, read and validated once per server."""
    from posture.routines import load_catalogue

    return load_catalogue()


# --- analyses kept per session -----------------------------------------------------------


@dataclass
class Result:
    """One photo analysed in this session: the analysis, how long it took, drawn images."""

    digest: str
    name: str
    analysis: Analysis
    seconds: float
    _drawn: dict[bool, bytes] = field(default_factory=dict, repr=False)

    def image(self, *, blur: bool) -> np.ndarray | None:
        """The analysed photo, face blurred when asked (None when it could not be read)."""
        analysis = self.analysis
        if analysis.image is None:
            return None
        if blur and analysis.landmarks is not None:
            return blur_face(analysis.image, analysis.landmarks)
        return analysis.image

    def annotated(self, *, blur: bool) -> np.ndarray | None:
        """The photo with the measures drawn on it (None when it could not be read)."""
        image = self.image(blur=blur)
        return None if image is None else annotate(image, self.analysis)

    def annotated_jpeg(self, *, blur: bool) -> bytes | None:
        """JPEG bytes of ``annotated`` for the page (fast to make and send), made once per
        blur setting. Downloads use ``png_bytes`` (lossless) when asked for."""
        if blur not in self._drawn:
            image = self.annotated(blur=blur)
            if image is None:
                return None
            self._drawn[blur] = jpeg_bytes(image)
        return self._drawn[blur]

    def blurred_analysis(self, blur: bool) -> Analysis:
        """The analysis with its image replaced by the face-blurred one when asked."""
        return replace(self.analysis, image=self.image(blur=blur)) if blur else self.analysis


def upload_rules() -> str:
    """Said under the photo uploader: the browser's own refusal is only a red mark on the file."""
    limit = int(st.get_option("server.maxUploadSize"))
    return (
        f"JPEG, PNG, WebP or HEIC, up to {limit} MB. A file the page marks in red was "
        f"refused before it was sent: it is of another type (export it as JPEG) or larger "
        f"than {limit} MB (export it at a smaller size)."
    )


ANALYSIS_SLOTS = threading.BoundedSemaphore(2)
"""Uploads analysed at once by the whole server (the others wait their turn). Detection is
serialised by the model's lock anyway; this also bounds decoding, the memory-hungry part
(about 340 MiB for the largest picture the decoder accepts, see docs/RELIABILITY.md)."""


def analyse_upload(data: bytes, name: str, *, slot: str) -> Result:
    """Analyse uploaded bytes, or return the result already made for the same bytes in ``slot``."""
    digest = hashlib.sha256(data).hexdigest()
    key = f"result:{slot}"
    kept = st.session_state.get(key)
    if isinstance(kept, Result) and kept.digest == digest:
        return kept
    model = require_estimator()
    started = time.perf_counter()
    with ANALYSIS_SLOTS:  # bounds the decoding memory however many people upload at once
        analysis = analyze(data, model, figures=error_figures(), marker_figures=marker_figures())
    result = Result(digest, name, analysis, time.perf_counter() - started)
    st.session_state[key] = result
    return result


def forget(slot: str) -> None:
    st.session_state.pop(f"result:{slot}", None)


def png_bytes(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def jpeg_bytes(rgb: np.ndarray) -> bytes:
    """High-quality JPEG for showing a picture on the page (a tenth of the PNG's size)."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=90)
    return out.getvalue()


def timing_text(result: Result) -> str:
    """ "Analysed in 84 ms (decoding 6 ms, pose 61 ms, measures 2 ms)."""
    parts = {"decode": "decoding", "detect": "pose", "measure": "measures"}
    timings = result.analysis.timings_ms
    detail = ", ".join(f"{label} {timings[key]:.0f} ms" for key, label in parts.items() if key in timings)
    return f"Analysed in {result.seconds * 1000:.0f} ms" + (f" ({detail})." if detail else ".")


# --- texts -------------------------------------------------------------------------------

GUIDANCE_TITLES = REASON_TITLES
"""A short heading for each reason a photo is rejected (``posture.render.wording``)."""

TIPS = (
    "Stand side-on: one shoulder points at the camera.",
    "Camera at hip height, about 2.5 m away, so head and feet are both in the picture.",
    "Fitted clothes, a plain background, good light; only you in the picture.",
    "Stand relaxed; let your arms hang in front of your body or cross them on your chest.",
)


def measure_table(analysis: Analysis) -> list[dict[str, str]]:
    """Rows for the page's measures table: measure, value, meaning, normal range."""
    rows = []
    for row in measure_rows(analysis):
        meaning = row["meaning"] + (f" (Not measured: {row['reason']})" if row["reason"] else "")
        rows.append(
            {
                "Measure": row["label"],
                "Value": row["shown"],
                "What it means": meaning,
                "Normal range": row["normal"],
            }
        )
    return rows


def show_rejection(result: Result, *, label: str | None = None) -> None:
    """The reason a photo was rejected, what to do, what was seen and a good set-up."""
    rejection = result.analysis.rejection
    title = GUIDANCE_TITLES.get(rejection.reason, "This photo cannot be measured")
    who = f"**{label}**: " if label else ""
    st.warning(f"{who}**{title}.** {rejection.message}", icon=":material/info:")
    seen, setup = st.columns([1, 2])
    with seen:
        seen = result.annotated_jpeg(blur=False)
        if seen is not None:
            st.image(
                seen,
                caption="What the analyzer saw",
                width="stretch",
                alt="The photo with what the analyzer found drawn on it",
            )
    with setup:
        st.markdown("**A good photo set-up**")
        st.image(setup_svg(), width="stretch", alt="Diagram of a good photo set-up")
        st.markdown("\n".join(f"- {tip}" for tip in TIPS))


STICKER_TIPS = (
    "Two round stickers of one bright colour that appears nowhere else on you or the room: "
    "office dot stickers, 12-25 mm, fluorescent green or neon pink.",
    "Front sticker on the ASIS: the bony point at the front of the pelvis, found by sliding "
    "a hand down from the waist to the first bump, about a hand's width from the navel to the side.",
    "Back sticker on the PSIS: the bony point under the dimple above the buttock, on the same side.",
    "Both stickers on the side that faces the camera, on skin or tight clothing, not covered "
    "by the waistband; cross the arms on the chest so no hand hides them.",
    "A door frame or wall corner in the picture lets the analyzer check that the camera is level.",
)


def sticker_svg() -> str:
    """Where the two stickers go, drawn here: a side view of the pelvis facing right, the
    ASIS sticker at the front, the PSIS sticker at the back, and the line between them whose
    angle to the horizontal is the tilt."""
    ink, bone, pink = "#333", "#c9b79c", "#ff108c"
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="420" height="220" viewBox="0 0 420 220"
 role="img" aria-label="Sticker placement: one on the front pelvic bone (ASIS), one on the back (PSIS)">
<rect x="0" y="0" width="420" height="220" fill="#fbfbfb" stroke="#ddd"/>
<path d="M120 40 C 170 20, 260 20, 300 60 L 285 95 C 270 120, 230 150, 200 175 L 165 170
 C 150 130, 120 110, 105 80 Z" fill="{bone}" stroke="{ink}" stroke-width="1.5"/>
<circle cx="200" cy="150" r="18" fill="none" stroke="{ink}" stroke-width="1.5"/>
<line x1="80" y1="120" x2="340" y2="120" stroke="#9aa5b1" stroke-dasharray="5 4"/>
<line x1="112" y1="62" x2="306" y2="84" stroke="{ink}" stroke-width="2"/>
<circle cx="306" cy="84" r="9" fill="{pink}" stroke="{ink}"/>
<circle cx="112" cy="62" r="9" fill="{pink}" stroke="{ink}"/>
<text x="300" y="110" font-family="sans-serif" font-size="13" fill="{ink}">ASIS (front)</text>
<text x="40" y="50" font-family="sans-serif" font-size="13" fill="{ink}">PSIS (back)</text>
<text x="150" y="205" font-family="sans-serif" font-size="12" fill="{ink}">hip joint</text>
<text x="250" y="30" font-family="sans-serif" font-size="12" fill="{ink}">facing this way &#8594;</text>
<text x="20" y="205" font-family="sans-serif" font-size="12" fill="{ink}">tilt = angle of the line</text>
<text x="20" y="190" font-family="sans-serif" font-size="12" fill="{ink}">to the dashed level</text>
</svg>"""


def setup_svg() -> str:
    """A small diagram of a good photo set-up, drawn here (no outside picture).

    Left, seen from above: the camera and, about 2.5 m away, the person turned side-on
    (shoulders in line with the camera). Right, seen from the side of the room: the camera
    on a stand at hip height, the whole body from head to feet inside the picture.
    """
    ink, soft, accent, person = "#333", "#9aa5b1", "#d35400", "#2e86c1"
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="520" height="230" viewBox="0 0 520 230"
 role="img" aria-label="A good photo set-up: camera at hip height about 2.5 metres away, person side-on">
<rect x="0" y="0" width="520" height="230" fill="#fbfbfb" stroke="#ddd"/>
<text x="12" y="22" font-family="sans-serif" font-size="13" fill="{ink}" font-weight="bold">Seen from above</text>
<polygon points="40,112 210,70 210,154" fill="{accent}" fill-opacity="0.08" stroke="none"/>
<rect x="22" y="100" width="22" height="24" rx="3" fill="{ink}"/>
<rect x="44" y="106" width="8" height="12" fill="{ink}"/>
<text x="14" y="146" font-family="sans-serif" font-size="11" fill="{ink}">camera</text>
<ellipse cx="215" cy="112" rx="30" ry="13" fill="{person}" fill-opacity="0.85"/>
<circle cx="215" cy="112" r="10" fill="#f5cba7" stroke="{ink}"/>
<polygon points="215,96 210,104 220,104" fill="{ink}"/>
<text x="232" y="92" font-family="sans-serif" font-size="11" fill="{ink}">faces this way</text>
<line x1="228" y1="98" x2="218" y2="98" stroke="{ink}"/>
<line x1="56" y1="176" x2="200" y2="176" stroke="{ink}" marker-start="url(#a)" marker-end="url(#a)"/>
<text x="96" y="194" font-family="sans-serif" font-size="12" fill="{ink}">about 2.5 m</text>
<text x="150" y="146" font-family="sans-serif" font-size="11" fill="{ink}">shoulder to camera</text>
<line x1="270" y1="14" x2="270" y2="216" stroke="#ddd"/>
<text x="282" y="22" font-family="sans-serif" font-size="13" fill="{ink}" font-weight="bold">Seen from the side</text>
<line x1="282" y1="206" x2="510" y2="206" stroke="{soft}" stroke-width="2"/>
<line x1="306" y1="132" x2="296" y2="206" stroke="{ink}" stroke-width="2"/>
<line x1="306" y1="132" x2="316" y2="206" stroke="{ink}" stroke-width="2"/>
<rect x="296" y="120" width="22" height="14" rx="2" fill="{ink}"/>
<line x1="318" y1="127" x2="470" y2="40" stroke="{accent}" stroke-dasharray="4 3"/>
<line x1="318" y1="127" x2="470" y2="214" stroke="{accent}" stroke-dasharray="4 3"/>
<line x1="318" y1="127" x2="452" y2="127" stroke="{soft}" stroke-dasharray="2 3"/>
<circle cx="460" cy="62" r="10" fill="#f5cba7" stroke="{ink}"/>
<line x1="460" y1="72" x2="460" y2="127" stroke="{person}" stroke-width="14" stroke-linecap="round"/>
<line x1="456" y1="127" x2="454" y2="203" stroke="{person}" stroke-width="8" stroke-linecap="round"/>
<line x1="464" y1="127" x2="466" y2="203" stroke="{person}" stroke-width="8" stroke-linecap="round"/>
<text x="282" y="223" font-family="sans-serif" font-size="11" fill="{ink}">camera at hip height (dotted)</text>
<text x="330" y="50" font-family="sans-serif" font-size="11" fill="{ink}">head to feet</text>
<text x="330" y="63" font-family="sans-serif" font-size="11" fill="{ink}">in the picture</text>
<defs><marker id="a" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
<path d="M0,0 L10,5 L0,10 z" fill="{ink}"/></marker></defs>
</svg>"""


__all__ = [
    "MEASURE_GUIDE",
    "Result",
    "analyse_upload",
    "catalogue",
    "estimator",
    "forget",
    "measure_table",
    "jpeg_bytes",
    "png_bytes",
    "require_estimator",
    "setup_svg",
    "show_rejection",
    "timing_text",
    "UPLOAD_TYPES",
    "GUIDANCE_TITLES",
    "TIPS",
]


def page_icon() -> Image.Image:
    """A 64×64 icon drawn here (a side-on figure and a plumb line), so the browser tab needs no
    emoji or icon font from an outside server."""
    from PIL import ImageDraw

    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.line([(40, 2), (40, 62)], fill=(230, 180, 0, 255), width=3)  # plumb line
    draw.ellipse([24, 4, 38, 18], fill=(40, 90, 160, 255))  # head
    draw.line([(31, 18), (29, 40), (31, 60)], fill=(40, 90, 160, 255), width=7, joint="curve")
    draw.line([(22, 38), (38, 34)], fill=(60, 180, 110, 255), width=4)  # pelvis bar
    return icon


def keep_uploads_in_memory() -> None:
    """Make the server hold an upload in memory up to the upload size limit.

    Streamlit parses uploads with Starlette, which by default spools any file part over 1 MB
    to a temporary file while reading it: a phone photo would touch the disk for a moment.
    Raising the spool threshold to ``server.maxUploadSize`` keeps every accepted photo in RAM.
    """
    from starlette.formparsers import MultiPartParser

    limit = int(st.get_option("server.maxUploadSize")) * 2**20
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, limit)


LOOPBACK = gate.LOOPBACK
"""Addresses that only this machine can reach (``.streamlit/config.toml`` binds to the first)."""


def require_password_when_served() -> None:
    """Serving other machines is an opt-in that needs a password.

    On the default address (127.0.0.1) with no password set nothing is asked: only this
    machine can connect. With ``POSTURE_APP_PASSWORD`` set, or on any other address
    (``streamlit run app.py --server.address 0.0.0.0``), a visitor must give the password
    before any page is shown; served beyond 127.0.0.1 with no password set, no page is shown
    at all. Under ``streamlit run app.py`` the password is asked by ``webapp.gate`` before the
    server answers anything (media, metrics and components included) and this only checks
    the signed cookie it set; where the gate is not in front (Streamlit's ``AppTest``) the
    password is asked here, compared in constant time and remembered for the session only.
    """
    from posture import settings

    address = st.get_option("server.address")
    if not gate.required(address):
        return
    where = f"on {address}" if address else "on every network interface"
    password = settings.app_password()
    if not password:
        st.error(
            f"This app is listening {where}, so other people could open it, and no "
            "password is set. Set POSTURE_APP_PASSWORD before starting it, or start it "
            "with `make app`, which serves this machine only."
        )
        st.stop()
    if gate.installed():
        if gate.valid(st.context.cookies.get(gate.COOKIE)):
            return
        st.error(f"Sign in first: [open the sign-in page]({gate.SIGN_IN}).")
        st.stop()
    if st.session_state.get("_posture_signed_in"):
        return
    st.title("Posture analyzer")
    with st.form("posture_sign_in"):
        typed = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Open")
    if submitted:
        if gate.matches(typed, password):
            st.session_state["_posture_signed_in"] = True
            st.rerun()
        time.sleep(1.0)  # slows guessing
        st.error("That is not the password.")
    st.stop()
