"""Real clip: how steady the tilt and lumbar angle are from frame to frame on a real video.

    nice -n 10 python -m benchmarks.fit.clip [--out benchmarks/results/clip.json] [--step 1]

Sports2D's demo clip (``benchmarks.sports2d_demo``, the one the live tests use; 7.7 s, 30 fps)
is decoded frame by frame, each frame is cropped to one person (fixed boxes per time span,
``SPANS``, chosen by looking at the frames: the full frame shows two people) and analysed as a
photo by the app's own pipeline (``posture.analyze.analyze`` with ``PoseEstimator("full")`` and
the shipped estimator). Per span: the frames, the frames that got a tilt, the SD of the tilt over
those frames, and the frame-to-frame jitter = SD of the differences between successive frames
/ √2. For independent noise of SD σ on every frame the differences have SD σ·√2, so the jitter
estimates σ; slow real motion (a drift over many frames) barely changes successive frames and
is removed, while the plain SD keeps it. Only pairs of successive frames that both got a value
count. The same for the lumbar angle.

What the clip shows (looked at frame by frame): nobody stands still side-on. The man does
jumping jacks facing the camera, turns, takes a few steps along the box side-on looking down,
then crouches and jumps; the woman walks past in side view. Issue 14's target (SD ≤ 1.5° for a
person standing still) is therefore only approached by the jitter, which still contains the
pelvis's real movement within a step (a gait cycle is about 1 s, 30 frames).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parents[1] / "results"
TARGET_SD = 1.5
"""Issue 14: the frame-to-frame SD of the tilt of a person standing still, degrees."""


@dataclass(frozen=True)
class Span:
    """One person over a time span, and the crop boxes (left, top, right, bottom; pixels of the
    1768×994 frame) that hold that person alone, each from its start time (seconds) on."""

    name: str
    description: str
    start_s: float
    end_s: float
    boxes: tuple[tuple[float, tuple[int, int, int, int]], ...]

    def box_at(self, t: float) -> tuple[int, int, int, int]:
        current = self.boxes[0][1]
        for start, box in self.boxes:
            if t >= start:
                current = box
        return current


MAN_BOX = (430, 0, 980, 520)
"""The top of the box the man stands on, him alone (his feet at y ≈ 445)."""
SPANS = (
    Span(
        "man, facing the camera", "jumping jacks on the box, facing the camera", 0.0, 2.8, ((0.0, MAN_BOX),)
    ),
    Span(
        "man, side-on",
        "turned side-on on the box, looking down, stepping along it (not standing still)",
        2.8,
        4.6,
        ((2.8, MAN_BOX),),
    ),
    Span(
        "woman, walking",
        "walking past from right to left in side view (real motion in every frame)",
        2.0,
        6.0,
        (  # a 600 px wide box every 0.5 s, centred on where she is (her head at y ≈ 510)
            (2.0, (1083, 460, 1683, 994)),
            (2.5, (935, 460, 1535, 994)),
            (3.0, (740, 460, 1340, 994)),
            (3.5, (548, 460, 1148, 994)),
            (4.0, (492, 460, 1092, 994)),
            (4.5, (260, 460, 860, 994)),
            (5.0, (178, 460, 778, 994)),
            (5.5, (0, 460, 600, 994)),
        ),
    ),
)


def steadiness(values: Sequence[float | None]) -> dict:
    """How much a per-frame reading moves: ``values`` in frame order, None for a frame without one.

    Returns ``frames``, ``with_value``, ``sd`` (sample SD of the values present), ``pairs``
    (successive frames that both have a value), ``jitter`` (sample SD of those pairs'
    differences / √2), ``median_step`` (median absolute difference of those pairs: about the
    noise SD for normal noise, 0.95 σ, and not moved by a few single-frame outliers as the SD is)
    and ``range`` (max − min). SDs need two values (None otherwise), in the values' unit
    (degrees here).
    """
    present = [float(v) for v in values if v is not None]
    diffs = [
        float(b) - float(a)
        for a, b in zip(values, values[1:], strict=False)
        if a is not None and b is not None
    ]
    return {
        "frames": len(values),
        "with_value": len(present),
        "sd": float(np.std(present, ddof=1)) if len(present) >= 2 else None,
        "pairs": len(diffs),
        "jitter": float(np.std(diffs, ddof=1) / math.sqrt(2)) if len(diffs) >= 2 else None,
        "median_step": float(np.median(np.abs(diffs))) if diffs else None,
        "range": float(max(present) - min(present)) if present else None,
    }


def frames(path: Path) -> Iterator[tuple[int, float, np.ndarray]]:
    """(index, time in s, RGB uint8 frame) for every frame of the video at ``path``."""
    import cv2

    capture = cv2.VideoCapture(str(path))
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        index = 0
        while True:
            ok, bgr = capture.read()
            if not ok:
                return
            yield index, index / fps, np.ascontiguousarray(bgr[:, :, ::-1])
            index += 1
    finally:
        capture.release()


def read_frame(rgb: np.ndarray, estimator) -> dict:
    """The app's reading of one picture: status, the reason when no tilt, tilt and lumbar (°)."""
    from posture.analyze import analyze

    result = analyze(rgb, estimator)
    tilt = result.measures.get("pelvic_tilt")
    reason = result.rejection.reason.value if result.rejection else (tilt.reason if tilt else None)
    return {
        "status": result.status,
        "facing": result.facing.value if result.facing else None,
        "tilt": result.measure("pelvic_tilt"),
        "lumbar": result.measure("lumbar_lordosis"),
        "reason": None if result.measure("pelvic_tilt") is not None else reason,
    }


def span_crops(
    video: Path, spans: Sequence[Span] = SPANS, *, step: int = 1
) -> Iterator[tuple[Span, int, float, np.ndarray]]:
    """(span, frame index, time in s, RGB crop to the span's person) for every ``step``-th frame
    of ``video`` that falls in a span (a frame in two spans gives two crops)."""
    for index, t, rgb in frames(video):
        if index % step:
            continue
        for span in spans:
            if span.start_s <= t < span.end_s:
                left, top, right, bottom = span.box_at(t)
                yield span, index, t, np.ascontiguousarray(rgb[top:bottom, left:right])


def measure(video: Path, spans: Sequence[Span] = SPANS, *, step: int = 1, estimator=None) -> list[dict]:
    """Every span's per-frame readings and their steadiness (every ``step``-th frame), with
    ``estimator`` (a ``posture.pose.PoseEstimator``, IMAGE mode) or the full model."""
    from contextlib import nullcontext

    from posture.pose import PoseEstimator

    rows = {span.name: [] for span in spans}
    with PoseEstimator("full") if estimator is None else nullcontext(estimator) as estimator:
        for span, index, t, crop in span_crops(video, spans, step=step):
            rows[span.name].append({"frame": index, "t": round(t, 3), **read_frame(crop, estimator)})
    out = []
    for span in spans:
        readings = rows[span.name]
        reasons: dict[str, int] = {}
        for r in readings:
            if r["tilt"] is None:
                reasons[r["reason"] or r["status"]] = reasons.get(r["reason"] or r["status"], 0) + 1
        out.append(
            {
                "span": span.name,
                "description": span.description,
                "start_s": span.start_s,
                "end_s": span.end_s,
                "boxes": [[start, list(box)] for start, box in span.boxes],
                "tilt": steadiness([r["tilt"] for r in readings]),
                "lumbar": steadiness([r["lumbar"] for r in readings]),
                "no_tilt": reasons,
                "readings": readings,
            }
        )
    return out


def run(out: Path | None = None, *, step: int = 1) -> dict:
    """Measure the clip and write ``out`` (JSON); ``{"unavailable": reason}`` when the clip
    cannot be had here (no network and no cached wheel), so callers can skip cleanly."""
    from benchmarks import sports2d_demo

    try:
        data = sports2d_demo.demo_bytes()
    except sports2d_demo.DemoUnavailable as error:
        results = {"unavailable": str(error)}
    else:
        with tempfile.TemporaryDirectory() as folder:
            video = Path(folder) / "demo.mp4"
            video.write_bytes(data)
            results = {
                "clip": f"{sports2d_demo.SPEC}: {sports2d_demo.MEMBER} (SHA-256 {sports2d_demo.SHA256[:12]}…)",
                "step": step,
                "spans": measure(video, step=step),
            }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1) + "\n")
    return results


def _deg(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}°"


def _short(reason: str, limit: int = 40) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1].rstrip() + "…"


def section_markdown(results: dict) -> list[str]:
    """The report's "Real clip" section (lines of Markdown)."""
    md = ["\n## Real clip: frame-to-frame steadiness\n"]
    if "unavailable" in results:
        return md + [f"Not measured here: {results['unavailable']}\n"]
    md += [
        f"{results['clip']}, every {'' if results['step'] == 1 else str(results['step']) + '-th '}frame "
        "cropped to one person and analysed as a photo by the app's pipeline and shipped estimator "
        "(`python -m benchmarks.fit.clip`). SD: over "
        "the frames with a tilt. Jitter: SD of the differences between successive frames / √2, "
        "which estimates the frame-to-frame noise and removes slow real motion; pairs: successive "
        "frames that both got a tilt. Median step: the median absolute change between those "
        "frames (about the noise SD, but not moved by a few single-frame outliers).\n",
        "| span | seconds | frames | with a tilt | pairs | tilt SD | tilt jitter | tilt median step "
        "| lumbar SD | lumbar jitter | no tilt |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["spans"]:
        tilt, lumbar = row["tilt"], row["lumbar"]
        reasons = ", ".join(
            f"{_short(k)} {v}" for k, v in sorted(row["no_tilt"].items(), key=lambda kv: -kv[1])
        )
        md.append(
            f"| {row['span']} | {row['start_s']:.1f}–{row['end_s']:.1f} | {tilt['frames']} | "
            f"{tilt['with_value']} | {tilt['pairs']} | {_deg(tilt['sd'])} | {_deg(tilt['jitter'])} | "
            f"{_deg(tilt.get('median_step'))} | {_deg(lumbar['sd'])} | {_deg(lumbar['jitter'])} | "
            f"{reasons or '—'} |"
        )
    md.append(
        "\nNobody in this clip stands still side-on (the man does jumping jacks facing the camera, "
        "then steps along the box side-on; the woman walks), so issue 14's target (tilt SD ≤ 1.5° "
        "for a person standing still) cannot be checked on it directly; the jitter is the closest "
        "figure and still includes the pelvis's real movement within a step."
    )
    measured = [row for row in results["spans"] if row["tilt"]["jitter"] is not None]
    if measured:
        best = min(measured, key=lambda row: row["tilt"]["jitter"])
        jitter = best["tilt"]["jitter"]
        verdict = "within" if jitter <= TARGET_SD else "above"
        md[-1] += (
            f" The lowest tilt jitter, {jitter:.2f}° ({best['span']}), is {verdict} the "
            f"{TARGET_SD}° target.\n"
        )
    else:
        md[-1] += "\n"
    return md


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS / "clip.json")
    parser.add_argument("--step", type=int, default=1, help="analyse every N-th frame only")
    args = parser.parse_args(argv)
    results = run(args.out, step=args.step)
    print("\n".join(section_markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
