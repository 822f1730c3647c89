"""From the browser's message to a ``Pose``: the conversion ``posture.pose`` makes for its own
results (normalised landmarks times the frame size), and the mask's compact encoding.

Conventions as in ``posture.types``: pixels, x right, y down; the mask is float32 in 0..1.
"""

from __future__ import annotations

import base64
import binascii
import math

import numpy as np

from posture.types import LANDMARK_NAMES, Landmarks, Pose

MAX_PEOPLE = 2
"""Poses read from one message: two are enough to tell that more than one person is in view."""


class PayloadError(ValueError):
    """What the browser sent is not a pose this module can read."""


# --- from the browser's message to a Pose ---------------------------------------------------


def pose_from_browser(people: list, mask: dict | None, width: int, height: int) -> Pose:
    """A ``Pose`` from MediaPipe's normalised landmarks (``people``: per person 33 rows of
    [x, y, z, visibility, presence]) and the encoded mask (``decode_mask``), in pixels of a
    ``width`` x ``height`` frame: the conversion ``posture.pose`` makes for its own results."""
    if not (0 < int(width) <= 4096 and 0 < int(height) <= 4096):
        raise PayloadError(f"bad frame size {width}x{height}")
    width, height = int(width), int(height)
    found = []
    for person in list(people)[:MAX_PEOPLE]:
        raw = np.asarray(person, dtype=np.float64)
        if raw.shape != (len(LANDMARK_NAMES), 5) or not np.isfinite(raw).all():
            raise PayloadError("each person needs 33 finite rows of x, y, z, visibility, presence")
        xy = raw[:, :2] * np.array([width, height], dtype=np.float64)
        found.append(
            Landmarks(
                xy=xy,
                z=raw[:, 2] * width,
                visibility=raw[:, 3],
                presence=raw[:, 4],
                image_size=(width, height),
            )
        )
    return Pose(
        people=tuple(found),
        mask=decode_mask(mask, width, height) if found else None,
        image_size=(width, height),
    )


def encode_mask(mask: np.ndarray, *, step: int = 1, low: float = 0.02, margin: int = 4) -> dict | None:
    """The browser's encoding of a float mask (for tests and benchmarks; pose_worker.js does
    the same): the box around pixels above ``low`` plus ``margin``, ``step`` x ``step`` block
    means, quantised to 0..255, base64."""
    height, width = mask.shape
    ys, xs = np.nonzero(mask > low)
    if not len(xs):
        return None
    x0, y0 = max(0, xs.min() - margin), max(0, ys.min() - margin)
    x1, y1 = min(width - 1, xs.max() + margin), min(height - 1, ys.max() + margin)
    box = mask[y0 : y1 + 1, x0 : x1 + 1]
    h, w = math.ceil(box.shape[0] / step), math.ceil(box.shape[1] / step)
    padded = np.full((h * step, w * step), np.nan, dtype=np.float64)
    padded[: box.shape[0], : box.shape[1]] = box
    means = np.nanmean(padded.reshape(h, step, w, step), axis=(1, 3))
    data = np.round(255 * means).astype(np.uint8)
    return {
        "x": int(x0),
        "y": int(y0),
        "w": int(w),
        "h": int(h),
        "step": int(step),
        "width": int(width),
        "height": int(height),
        "data": base64.b64encode(data.tobytes()).decode(),
    }


def decode_mask(payload: dict | None, width: int, height: int) -> np.ndarray | None:
    """The float32 (height, width) mask in 0..1 from the browser's encoding, or None.

    Outside the box the mask is 0. With ``step`` > 1 the block means sit at the block centres
    and every pixel is interpolated bilinearly between them.
    """
    if not payload:
        return None
    try:
        x, y, w, h = (int(payload[k]) for k in ("x", "y", "w", "h"))
        step = int(payload.get("step", 1))
        data = base64.b64decode(payload["data"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise PayloadError(f"bad mask: {error}") from error
    if not (1 <= step <= 8 and w > 0 and h > 0 and len(data) == w * h and 0 <= x < width and 0 <= y < height):
        raise PayloadError("bad mask box")
    values = np.frombuffer(data, dtype=np.uint8).reshape(h, w).astype(np.float32) / 255.0
    mask = np.zeros((height, width), dtype=np.float32)
    if step == 1:
        region = values[: height - y, : width - x]
        mask[y : y + region.shape[0], x : x + region.shape[1]] = region
        return mask
    rows = np.arange(y, min(height, y + h * step))
    cols = np.arange(x, min(width, x + w * step))
    mask[np.ix_(rows, cols)] = _bilinear(
        values, (rows - y - (step - 1) / 2) / step, (cols - x - (step - 1) / 2) / step
    )
    return mask


def _bilinear(values: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``values`` sampled at fractional rows ``u`` and columns ``v`` (clamped to the edges)."""
    h, w = values.shape
    u, v = np.clip(u, 0, h - 1), np.clip(v, 0, w - 1)
    r0, c0 = np.floor(u).astype(int), np.floor(v).astype(int)
    r1, c1 = np.minimum(r0 + 1, h - 1), np.minimum(c0 + 1, w - 1)
    fu, fv = (u - r0)[:, None], (v - c0)[None, :]
    top = values[np.ix_(r0, c0)] * (1 - fv) + values[np.ix_(r0, c1)] * fv
    bottom = values[np.ix_(r1, c0)] * (1 - fv) + values[np.ix_(r1, c1)] * fv
    return top * (1 - fu) + bottom * fu
