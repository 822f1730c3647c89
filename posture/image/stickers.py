"""Finding round skin stickers of one solid colour in a region of a picture.

The detector is not told the stickers' colour. A candidate is a compact, round blob whose
pixels share one strongly coloured hue and stand out from the ring of skin or cloth around
it, and that is isolated (the ring holds almost none of its colour, so a coloured pattern on
the clothes does not count). Which two candidates are the ASIS and the PSIS is decided by
``posture.measure.markers`` from the body's geometry.

Centres are sub-pixel: each pixel near the blob is read as a mix of the sticker's colour and
the ring's colour (an edge pixel of an anti-aliased or blurred disc is such a mix), and the
centre is the mean position weighted by the sticker's share. For a disc this is exact, and
blur, which spreads the share symmetrically, leaves it unchanged.

Units: pixels of the picture as given (x right, y down; pixel (row i, column j) has its centre
at x = j, y = i), colours sRGB 0..255.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from posture.types import Sticker

MIN_CHROMA = 28.0
"""A sticker pixel is strongly coloured: Lab chroma at least this (skin is about 15-30, office
dot stickers in fluorescent green or neon pink 60-100; set by hand)."""
MIN_STICKER_CHROMA = 50.0
"""...and the sticker's mean colour at least this: office dot stickers keep chroma 60 or more
under indoor light, while skin, wood, fur and most fabrics stay below 45 (set by hand on the
shared sample photos, so not yet tested on data it was not tuned on)."""
MIN_CONTRAST = 22.0
"""CIE76 distance a sticker pixel stands out by from its surroundings (set by hand)."""
MIN_RING_CONTRAST = 35.0
"""CIE76 distance between the sticker's mean colour and its ring's mean colour."""
MAX_RING_SHARE = 0.12
"""At most this share of the ring around a sticker may have the sticker's colour (isolated)."""
MAX_SPREAD = 14.0
"""Colour uniformity: the RMS CIE76 distance of the blob's pixels from its mean colour."""
MIN_FILL = 0.55
"""The blob fills at least this share of the ellipse its second moments give."""
MAX_ASPECT = 2.2
"""Longest over shortest axis: a round sticker seen obliquely or on a curved surface."""
SAME_COLOUR = 18.0
"""A pixel within this CIE76 distance of the sticker's colour counts as that colour."""


def find_stickers(
    rgb: np.ndarray, region: tuple[int, int, int, int], *, radius_px: tuple[float, float]
) -> list[Sticker]:
    """Sticker candidates in ``region`` (x0, y0, x1, y1 pixels), best first.

    ``radius_px`` is the (min, max) radius in pixels a sticker can have at this body's scale;
    blobs outside it are not returned. Centres are in the coordinates of ``rgb``.
    """
    x0, y0, x1, y1 = (int(v) for v in region)
    r_min, r_max = float(radius_px[0]), float(radius_px[1])
    pad = int(math.ceil(3 * r_max)) + 2
    height, width = rgb.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)
    if cx1 - cx0 < 4 or cy1 - cy0 < 4:
        return []
    crop = np.ascontiguousarray(rgb[cy0:cy1, cx0:cx1, :3]).astype(np.float32)
    lab = cv2.cvtColor(crop / 255.0, cv2.COLOR_RGB2Lab)
    candidates = _blobs(lab, r_min, r_max)
    found = []
    for label_mask in candidates:
        sticker = _measure(crop, lab, label_mask, r_min, r_max)
        if sticker is None:
            continue
        (cx, cy), radius, colour, score = sticker
        x, y = cx + cx0, cy + cy0
        if x0 <= x < x1 and y0 <= y < y1:
            found.append((score, Sticker((float(x), float(y)), float(radius), colour)))
    found.sort(key=lambda item: -item[0])
    return [sticker for _, sticker in found]


def _blobs(lab: np.ndarray, r_min: float, r_max: float) -> list[tuple[slice, slice, np.ndarray]]:
    """Connected groups of strongly coloured pixels that stand out from the local colour."""
    background = _local_mean(lab, max(2.0, 2.0 * r_max))
    contrast = np.linalg.norm(lab - background, axis=2)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    mask = ((contrast >= MIN_CONTRAST) & (chroma >= MIN_CHROMA)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_area = 0.3 * math.pi * r_min**2
    max_area = 1.6 * math.pi * r_max**2
    blobs = []
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if not min_area <= area <= max_area:
            continue
        window = (slice(y, y + h), slice(x, x + w))
        blobs.append((window, labels[window] == index))
    return blobs


def _local_mean(lab: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian local mean of width ``sigma`` pixels, computed on a copy shrunk so that the
    blur is about 3 pixels wide there (the same answer, several times faster)."""
    factor = max(1.0, sigma / 3.0)
    height, width = lab.shape[:2]
    small_size = (max(1, round(width / factor)), max(1, round(height / factor)))
    small = cv2.resize(lab, small_size, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / factor)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def _measure(
    crop: np.ndarray,
    lab: np.ndarray,
    blob: tuple[tuple[slice, slice], np.ndarray],
    r_min: float,
    r_max: float,
) -> tuple[tuple[float, float], float, tuple[int, int, int], float] | None:
    """Centre, radius, colour and score of one blob, or None when it is not sticker-like."""
    (rows, cols), inside = blob
    ys, xs = np.nonzero(inside)
    ys = ys + rows.start
    xs = xs + cols.start
    area = float(xs.size)
    if area < 5:
        return None
    cov = np.cov(np.vstack([xs, ys]))
    eigen = np.linalg.eigvalsh(cov)
    if eigen[0] <= 0:
        return None
    aspect = math.sqrt(eigen[1] / eigen[0])
    fill = area / (4 * math.pi * math.sqrt(eigen[0] * eigen[1]))
    if aspect > MAX_ASPECT or fill < MIN_FILL:
        return None
    radius0 = math.sqrt(area / math.pi)
    cx0, cy0 = float(xs.mean()), float(ys.mean())
    core = (xs - cx0) ** 2 + (ys - cy0) ** 2 <= (0.6 * radius0) ** 2
    if core.sum() < 3:
        core = np.ones_like(core)
    pixels = lab[ys[core], xs[core]]
    colour_lab = pixels.mean(axis=0)
    if math.hypot(colour_lab[1], colour_lab[2]) < MIN_STICKER_CHROMA:
        return None
    spread = float(np.sqrt(np.mean(np.sum((pixels - colour_lab) ** 2, axis=1))))
    if spread > MAX_SPREAD:
        return None
    ring = _annulus(lab.shape[:2], (cx0, cy0), 1.6 * radius0 + 1.5, 2.6 * radius0 + 2.5)
    if ring is None:
        return None
    ring_lab = lab[ring]
    ring_colour = ring_lab.mean(axis=0)
    if float(np.linalg.norm(colour_lab - ring_colour)) < MIN_RING_CONTRAST:
        return None
    same = np.linalg.norm(ring_lab - colour_lab, axis=1) < SAME_COLOUR
    if same.mean() > MAX_RING_SHARE:
        return None
    sticker_rgb = crop[ys[core], xs[core]].mean(axis=0)
    ring_rgb = crop[ring].mean(axis=0)
    (cx, cy), radius = _weighted_centre(crop, (cx0, cy0), 1.5 * radius0 + 1.5, sticker_rgb, ring_rgb)
    if not r_min <= radius <= r_max:
        return None
    score = float(np.linalg.norm(colour_lab - ring_colour)) * fill / aspect
    colour = tuple(int(round(v)) for v in sticker_rgb)
    return (cx, cy), radius, colour, score


def _annulus(
    shape: tuple[int, int], centre: tuple[float, float], inner: float, outer: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows, columns) of the pixels in the ring between the two radii (None when less than
    half of it lies inside the picture)."""
    height, width = shape
    x0, x1 = max(0, int(centre[0] - outer)), min(width, int(centre[0] + outer) + 2)
    y0, y1 = max(0, int(centre[1] - outer)), min(height, int(centre[1] + outer) + 2)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    d2 = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2
    ring = (d2 >= inner**2) & (d2 <= outer**2)
    if ring.sum() < 0.5 * math.pi * (outer**2 - inner**2):
        return None
    return yy[ring], xx[ring]


def _weighted_centre(
    crop: np.ndarray, centre: tuple[float, float], reach: float, sticker: np.ndarray, ring: np.ndarray
) -> tuple[tuple[float, float], float]:
    """Sub-pixel centre and radius: each pixel within ``reach`` of ``centre`` is read as the
    mix ``share * sticker + (1 - share) * ring`` and weighted by its share (0..1)."""
    height, width = crop.shape[:2]
    x0, x1 = max(0, int(centre[0] - reach) - 1), min(width, int(centre[0] + reach) + 2)
    y0, y1 = max(0, int(centre[1] - reach) - 1), min(height, int(centre[1] + reach) + 2)
    window = crop[y0:y1, x0:x1]
    axis = sticker - ring
    share = np.clip(((window - ring) @ axis) / float(axis @ axis), 0.0, 1.0)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    near = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= reach**2
    share = np.where(near, share, 0.0)
    total = float(share.sum())
    cx = float((share * xx).sum() / total)
    cy = float((share * yy).sum() / total)
    return (cx, cy), math.sqrt(total / math.pi)
