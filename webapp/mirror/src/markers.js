/* Skin stickers on the ASIS and the PSIS, found in the browser at the camera's rate.
 *
 * The same rules as the photo analysis (posture/image/stickers.py finds round blobs of one
 * strong colour, posture/measure/markers.py picks the one pair that fits a pelvis and turns it
 * into a tilt), written again for the live mirror so that the tilt follows the person within a
 * frame or two instead of waiting for the app's answer. The thresholds are the Python ones;
 * tests/live/test_markers_js.py runs this file with Node on the same pictures as the Python
 * detector and checks that both give the same centres and tilt.
 *
 * Conventions (as in the Python modules): pixels of the camera picture, not mirrored, x right,
 * y down; pixel (row i, column j) has its centre at x = j, y = i. Tilt = the angle of the
 * PSIS->ASIS line against the picture's horizontal, anterior positive (the ASIS lower than the
 * PSIS), whichever way the person faces; facing is +1 when the person faces the picture's right
 * (+x), -1 for the left. No camera roll is taken out here (the live page has no room lines).
 *
 * Defines self.PostureMarkers = {searchRegion, findStickers, readMarkers, read, facingOf}.
 * Nothing runs when the file is loaded besides defining them.
 */
"use strict";

(function (root) {
  // posture/measure/markers.py
  const STATURE_MM = [1450, 2000];
  const STICKER_DIAMETER_MM = [10, 30];
  const ASIS_PSIS_MM = [80, 210];
  const TILT_RANGE = [-35, 45];
  const MAX_COLOUR_DISTANCE = 30;
  const MAX_RADIUS_RATIO = 1.8;
  const REGION = { forward: 0.14, back: 0.16, up: 0.16, down: 0.05 };
  const MIDPOINT_HALF_WIDTH = 0.08;
  const MIDPOINT_ABOVE = [-0.01, 0.13];
  const HEAD_ABOVE_NOSE = 0.5; // posture/measure/measures.py, without a mask
  // posture/image/stickers.py
  const MIN_CHROMA = 28;
  const MIN_STICKER_CHROMA = 50;
  const MIN_CONTRAST = 22;
  const MIN_RING_CONTRAST = 35;
  const MAX_RING_SHARE = 0.12;
  const MAX_SPREAD = 14;
  const MIN_FILL = 0.55;
  const MAX_ASPECT = 2.2;
  const SAME_COLOUR = 18;

  const I = { nose: 0, left_ear: 7, right_ear: 8, left_shoulder: 11, right_shoulder: 12,
    left_wrist: 15, right_wrist: 16, left_pinky: 17, right_pinky: 18, left_index: 19,
    right_index: 20, left_thumb: 21, right_thumb: 22, left_hip: 23, right_hip: 24,
    left_ankle: 27, right_ankle: 28, left_heel: 29, right_heel: 30, left_foot_index: 31,
    right_foot_index: 32 };

  // --- colour --------------------------------------------------------------------------

  const LINEAR = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const c = v / 255;
    LINEAR[v] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  const EPS = Math.pow(6 / 29, 3);
  const f = (t) => (t > EPS ? Math.cbrt(t) : t / (3 * Math.pow(6 / 29, 2)) + 4 / 29);

  /** CIE Lab (D65) of an sRGB colour 0..255 (fractional values are interpolated). */
  function lab(r, g, b) {
    const lin = (v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return labLinear(lin(r), lin(g), lin(b));
  }

  function labLinear(r, g, b) {
    const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    const fx = f(x), fy = f(y), fz = f(z);
    return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
  }

  function distance3(a, b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  }

  // --- where to look ---------------------------------------------------------------------

  function point(person, name, width, height) {
    const p = person[I[name]];
    return [p[0] * width, p[1] * height];
  }

  function mid(person, part, width, height) {
    const a = point(person, `left_${part}`, width, height), b = point(person, `right_${part}`, width, height);
    return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  }

  /** +1 when the person faces the picture's right, -1 for the left (posture.measure.checks.facing_of). */
  function facingOf(person, width, height) {
    const head = point(person, "nose", width, height)[0] - mid(person, "ear", width, height)[0];
    const feet = mid(person, "foot_index", width, height)[0] - mid(person, "heel", width, height)[0];
    const body = Math.abs(mid(person, "ankle", width, height)[1] - mid(person, "shoulder", width, height)[1]) || 1;
    return 2 * head / body + feet / body >= 0 ? 1 : -1;
  }

  /**
   * The pelvis box {x0, y0, x1, y1} (pixels inside the picture), the sticker radii [min, max]
   * in pixels, the hip point and the stature in pixels, from MediaPipe's normalised landmarks
   * (33 rows of [x, y, ...]) of a width x height picture.
   */
  function searchRegion(person, width, height, facing) {
    const nose = point(person, "nose", width, height);
    const shoulder = mid(person, "shoulder", width, height);
    const heelY = Math.max(point(person, "left_heel", width, height)[1], point(person, "right_heel", width, height)[1]);
    const top = nose[1] - HEAD_ABOVE_NOSE * Math.abs(shoulder[1] - nose[1]);
    const stature = Math.max(1, heelY - top);
    const hip = mid(person, "hip", width, height);
    const forward = REGION.forward * stature, back = REGION.back * stature;
    const [left, right] = facing > 0 ? [hip[0] - back, hip[0] + forward] : [hip[0] - forward, hip[0] + back];
    const box = {
      x0: Math.max(0, Math.floor(left)),
      y0: Math.max(0, Math.floor(hip[1] - REGION.up * stature)),
      x1: Math.min(width, Math.ceil(right)),
      y1: Math.min(height, Math.ceil(hip[1] + REGION.down * stature)),
    };
    const perMm = [stature / STATURE_MM[1], stature / STATURE_MM[0]];
    const radius = [STICKER_DIAMETER_MM[0] / 2 * perMm[0], STICKER_DIAMETER_MM[1] / 2 * perMm[1]];
    return { box, radius, hip, stature };
  }

  /** The box of pixels findStickers needs around region.box (the ring around a sticker at its edge). */
  function cropBox(region, width, height) {
    const pad = Math.ceil(3 * region.radius[1]) + 2;
    const { x0, y0, x1, y1 } = region.box;
    return { x: Math.max(0, x0 - pad), y: Math.max(0, y0 - pad),
      w: Math.min(width, x1 + pad) - Math.max(0, x0 - pad), h: Math.min(height, y1 + pad) - Math.max(0, y0 - pad) };
  }

  // --- the stickers ------------------------------------------------------------------------

  /**
   * Sticker candidates, best first: [{centre: [x, y], radius, colour: [r, g, b], score}].
   * `pixels` is RGBA (ImageData.data) of a w x h crop whose top-left pixel is (ox, oy) of the
   * picture; `region` comes from searchRegion. Centres are in pixels of the picture.
   */
  function findStickers(pixels, w, h, ox, oy, region) {
    const [rMin, rMax] = region.radius;
    if (w < 4 || h < 4) return [];
    const n = w * h;
    const L = new Float32Array(n), A = new Float32Array(n), B = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const c = labLinear(LINEAR[pixels[4 * k]], LINEAR[pixels[4 * k + 1]], LINEAR[pixels[4 * k + 2]]);
      L[k] = c[0]; A[k] = c[1]; B[k] = c[2];
    }
    // Local mean colour: a box mean about as wide as the Python Gaussian (sigma 2 rMax).
    const half = Math.max(1, Math.round(1.73 * Math.max(2, 2 * rMax)));
    const mL = boxMean(L, w, h, half), mA = boxMean(A, w, h, half), mB = boxMean(B, w, h, half);
    const on = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const contrast = Math.hypot(L[k] - mL[k], A[k] - mA[k], B[k] - mB[k]);
      on[k] = contrast >= MIN_CONTRAST && Math.hypot(A[k], B[k]) >= MIN_CHROMA ? 1 : 0;
    }
    const minArea = 0.3 * Math.PI * rMin * rMin, maxArea = 1.6 * Math.PI * rMax * rMax;
    const labels = new Int32Array(n);
    const found = [];
    const stack = [];
    let next = 0;
    for (let start = 0; start < n; start++) {
      if (!on[start] || labels[start]) continue;
      next += 1;
      const members = [];
      labels[start] = next;
      stack.push(start);
      while (stack.length) { // 8-connected flood fill
        const k = stack.pop();
        members.push(k);
        const i = (k / w) | 0, j = k - i * w;
        for (let di = -1; di <= 1; di++) {
          for (let dj = -1; dj <= 1; dj++) {
            const ii = i + di, jj = j + dj;
            if (ii < 0 || jj < 0 || ii >= h || jj >= w) continue;
            const kk = ii * w + jj;
            if (on[kk] && !labels[kk]) { labels[kk] = next; stack.push(kk); }
          }
        }
      }
      if (members.length < minArea || members.length > maxArea) continue;
      const sticker = measure(members, pixels, L, A, B, w, h, rMin, rMax);
      if (!sticker) continue;
      const x = sticker.centre[0] + ox, y = sticker.centre[1] + oy;
      const { x0, y0, x1, y1 } = region.box;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) found.push({ ...sticker, centre: [x, y] });
    }
    found.sort((a, b) => b.score - a.score);
    return found;
  }

  function boxMean(values, w, h, half) {
    const sum = new Float64Array((w + 1) * (h + 1));
    for (let i = 0; i < h; i++) {
      let row = 0;
      for (let j = 0; j < w; j++) {
        row += values[i * w + j];
        sum[(i + 1) * (w + 1) + j + 1] = sum[i * (w + 1) + j + 1] + row;
      }
    }
    const out = new Float32Array(w * h);
    for (let i = 0; i < h; i++) {
      const a = Math.max(0, i - half), b = Math.min(h, i + half + 1);
      for (let j = 0; j < w; j++) {
        const c = Math.max(0, j - half), d = Math.min(w, j + half + 1);
        const total = sum[b * (w + 1) + d] - sum[a * (w + 1) + d] - sum[b * (w + 1) + c] + sum[a * (w + 1) + c];
        out[i * w + j] = total / ((b - a) * (d - c));
      }
    }
    return out;
  }

  function measure(members, pixels, L, A, B, w, h, rMin, rMax) {
    const area = members.length;
    if (area < 5) return null;
    let sx = 0, sy = 0;
    for (const k of members) { sx += k % w; sy += (k / w) | 0; }
    const cx0 = sx / area, cy0 = sy / area;
    let cxx = 0, cyy = 0, cxy = 0;
    for (const k of members) {
      const dx = (k % w) - cx0, dy = ((k / w) | 0) - cy0;
      cxx += dx * dx; cyy += dy * dy; cxy += dx * dy;
    }
    // sample covariance, as numpy.cov
    cxx /= area - 1; cyy /= area - 1; cxy /= area - 1;
    const tr = cxx + cyy, det = cxx * cyy - cxy * cxy;
    const disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
    const e0 = tr / 2 - disc, e1 = tr / 2 + disc;
    if (e0 <= 0) return null;
    const aspect = Math.sqrt(e1 / e0);
    const fill = area / (4 * Math.PI * Math.sqrt(e0 * e1));
    if (aspect > MAX_ASPECT || fill < MIN_FILL) return null;
    const radius0 = Math.sqrt(area / Math.PI);
    let core = members.filter((k) => ((k % w) - cx0) ** 2 + (((k / w) | 0) - cy0) ** 2 <= (0.6 * radius0) ** 2);
    if (core.length < 3) core = members;
    const colour = [0, 0, 0], rgb = [0, 0, 0];
    for (const k of core) {
      colour[0] += L[k]; colour[1] += A[k]; colour[2] += B[k];
      rgb[0] += pixels[4 * k]; rgb[1] += pixels[4 * k + 1]; rgb[2] += pixels[4 * k + 2];
    }
    for (let c = 0; c < 3; c++) { colour[c] /= core.length; rgb[c] /= core.length; }
    if (Math.hypot(colour[1], colour[2]) < MIN_STICKER_CHROMA) return null;
    let spread = 0;
    for (const k of core) spread += (L[k] - colour[0]) ** 2 + (A[k] - colour[1]) ** 2 + (B[k] - colour[2]) ** 2;
    if (Math.sqrt(spread / core.length) > MAX_SPREAD) return null;
    const ring = annulus(w, h, cx0, cy0, 1.6 * radius0 + 1.5, 2.6 * radius0 + 2.5);
    if (!ring) return null;
    const ringLab = [0, 0, 0], ringRgb = [0, 0, 0];
    let same = 0;
    for (const k of ring) {
      ringLab[0] += L[k]; ringLab[1] += A[k]; ringLab[2] += B[k];
      ringRgb[0] += pixels[4 * k]; ringRgb[1] += pixels[4 * k + 1]; ringRgb[2] += pixels[4 * k + 2];
      if (Math.hypot(L[k] - colour[0], A[k] - colour[1], B[k] - colour[2]) < SAME_COLOUR) same += 1;
    }
    for (let c = 0; c < 3; c++) { ringLab[c] /= ring.length; ringRgb[c] /= ring.length; }
    const contrast = distance3(colour, ringLab);
    if (contrast < MIN_RING_CONTRAST || same / ring.length > MAX_RING_SHARE) return null;
    const centre = weightedCentre(pixels, w, h, cx0, cy0, 1.5 * radius0 + 1.5, rgb, ringRgb);
    if (!(centre.radius >= rMin && centre.radius <= rMax)) return null;
    return { centre: centre.xy, radius: centre.radius, colour: rgb.map(Math.round), score: contrast * fill / aspect };
  }

  function annulus(w, h, cx, cy, inner, outer) {
    const x0 = Math.max(0, Math.trunc(cx - outer)), x1 = Math.min(w, Math.trunc(cx + outer) + 2);
    const y0 = Math.max(0, Math.trunc(cy - outer)), y1 = Math.min(h, Math.trunc(cy + outer) + 2);
    const ring = [];
    for (let i = y0; i < y1; i++) {
      for (let j = x0; j < x1; j++) {
        const d2 = (j - cx) ** 2 + (i - cy) ** 2;
        if (d2 >= inner * inner && d2 <= outer * outer) ring.push(i * w + j);
      }
    }
    return ring.length < 0.5 * Math.PI * (outer * outer - inner * inner) ? null : ring;
  }

  function weightedCentre(pixels, w, h, cx, cy, reach, sticker, ring) {
    const x0 = Math.max(0, Math.trunc(cx - reach) - 1), x1 = Math.min(w, Math.trunc(cx + reach) + 2);
    const y0 = Math.max(0, Math.trunc(cy - reach) - 1), y1 = Math.min(h, Math.trunc(cy + reach) + 2);
    const axis = [sticker[0] - ring[0], sticker[1] - ring[1], sticker[2] - ring[2]];
    const norm = axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2];
    let total = 0, sx = 0, sy = 0;
    for (let i = y0; i < y1; i++) {
      for (let j = x0; j < x1; j++) {
        if ((j - cx) ** 2 + (i - cy) ** 2 > reach * reach) continue;
        const k = 4 * (i * w + j);
        const dot = (pixels[k] - ring[0]) * axis[0] + (pixels[k + 1] - ring[1]) * axis[1] + (pixels[k + 2] - ring[2]) * axis[2];
        const share = Math.min(1, Math.max(0, dot / norm));
        total += share; sx += share * j; sy += share * i;
      }
    }
    return { xy: [sx / total, sy / total], radius: Math.sqrt(total / Math.PI) };
  }

  // --- the pair and the tilt -----------------------------------------------------------------

  function fits(asis, psis, region, facing) {
    const dx = (asis.centre[0] - psis.centre[0]) * facing;
    if (dx <= 0) return false;
    const distance = Math.hypot(asis.centre[0] - psis.centre[0], asis.centre[1] - psis.centre[1]);
    const perMm = [region.stature / STATURE_MM[1], region.stature / STATURE_MM[0]];
    if (distance < ASIS_PSIS_MM[0] * perMm[0] || distance > ASIS_PSIS_MM[1] * perMm[1]) return false;
    const raw = (Math.atan2(asis.centre[1] - psis.centre[1], dx) * 180) / Math.PI;
    if (raw < TILT_RANGE[0] || raw > TILT_RANGE[1]) return false;
    const small = Math.min(asis.radius, psis.radius), large = Math.max(asis.radius, psis.radius);
    if (large > MAX_RADIUS_RATIO * small) return false;
    if (distance3(lab(...asis.colour), lab(...psis.colour)) > MAX_COLOUR_DISTANCE) return false;
    const midX = (asis.centre[0] + psis.centre[0]) / 2, midY = (asis.centre[1] + psis.centre[1]) / 2;
    if (Math.abs(midX - region.hip[0]) > MIDPOINT_HALF_WIDTH * region.stature) return false;
    const above = (region.hip[1] - midY) / region.stature;
    return above >= MIDPOINT_ABOVE[0] && above <= MIDPOINT_ABOVE[1];
  }

  function handIn(person, region, width, height) {
    const { x0, y0, x1, y1 } = region.box;
    for (const side of ["left", "right"]) {
      for (const part of ["wrist", "index", "pinky", "thumb"]) {
        const [x, y] = point(person, `${side}_${part}`, width, height);
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) return true;
      }
    }
    return false;
  }

  /**
   * {asis, psis, tilt} (tilt in degrees, anterior positive) when exactly one pair fits, else
   * {problem}: "no_markers", "one_marker", "ambiguous_markers" or "marker_hidden" (the codes
   * of the photo analysis).
   */
  function readMarkers(candidates, region, facing, person, width, height) {
    const inside = candidates.filter((c) => c.radius >= region.radius[0] && c.radius <= region.radius[1]);
    const pairs = [];
    for (const a of inside) for (const p of inside) if (a !== p && fits(a, p, region, facing)) pairs.push([a, p]);
    if (pairs.length === 1) {
      const [asis, psis] = pairs[0];
      const dx = (asis.centre[0] - psis.centre[0]) * facing, dy = asis.centre[1] - psis.centre[1];
      return { asis: asis.centre, psis: psis.centre, radius: [asis.radius, psis.radius],
        tilt: (Math.atan2(dy, dx) * 180) / Math.PI };
    }
    if (pairs.length) return { problem: "ambiguous_markers" };
    if (!inside.length) return { problem: "no_markers" };
    if (person && handIn(person, region, width, height)) return { problem: "marker_hidden" };
    return { problem: "one_marker" };
  }

  /**
   * The whole reading for one picture. `getPixels(box)` returns the RGBA bytes of the box
   * {x, y, w, h} of the picture (a canvas's getImageData(...).data, or a slice in Node).
   */
  function read(getPixels, person, width, height, facing) {
    const side = facing || facingOf(person, width, height);
    const region = searchRegion(person, width, height, side);
    const box = cropBox(region, width, height);
    if (box.w < 4 || box.h < 4) return { problem: "no_markers", region };
    const candidates = findStickers(getPixels(box), box.w, box.h, box.x, box.y, region);
    return { ...readMarkers(candidates, region, side, person, width, height), facing: side, region, box };
  }

  root.PostureMarkers = { searchRegion, cropBox, findStickers, readMarkers, read, facingOf, lab };
})(typeof self !== "undefined" ? self : globalThis);
