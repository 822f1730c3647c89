/* The pose landmarker, off the page's main thread (a classic Web Worker).
 *
 * Runs MediaPipe's pose landmarker (WebAssembly, CPU) on camera frames the page sends as
 * ImageBitmaps, and answers with the landmarks (normalised, as MediaPipe gives them) and the
 * first person's segmentation mask cropped to the person and quantised to bytes. Every file
 * it loads (the tasks-vision bundle, the WebAssembly runtime, the model) comes from the same
 * folder as this script: the app serves them, no outside address is used.
 *
 * Messages in:  {type: "init", modelSha256, numPoses, minDetection}
 *               {type: "frame", bitmap, ts, mask, maskStep, scale}   (the bitmap is transferred
 *               and closed here; scale: the camera frame is this many times the bitmap's size)
 * Messages out: {type: "ready", simd, ms} | {type: "error", message}
 *               {type: "pose", ts, ms, people: [[x, y, z, visibility, presence] x 33][], mask}
 *   mask: null or {x, y, w, h, step, width, height, data: base64 of w*h bytes (0..255)}:
 *   the mask inside the box (x, y, w, h) of the full width x height mask, every step-th
 *   pixel (after averaging step x step blocks).
 */
"use strict";

// No outside address, ever. tasks-vision 1.1.0 has a usage logger that posts to a Google
// address every 60 s from this worker; the page's Content-Security-Policy does not cover a
// worker (its policy would come from the script's HTTP headers, which Streamlit does not set),
// so every way out of this worker is closed here, before the bundle is loaded.
(() => {
  const origin = self.location.origin;
  const own = (url) => new URL(String(url), self.location.href).origin === origin;
  const fetchOwn = self.fetch.bind(self);
  self.fetch = (input, init) => (own(typeof input === "object" && input.url ? input.url : input)
    ? fetchOwn(input, init) : Promise.reject(new TypeError("outside addresses are refused")));
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (!own(url)) throw new TypeError("outside addresses are refused");
    return open.call(this, method, url, ...rest);
  };
  if (self.navigator && self.navigator.sendBeacon) self.navigator.sendBeacon = () => false;
  self.WebSocket = undefined;
  self.EventSource = undefined;
})();

importScripts("vision_bundle.js"); // defines self.Vision (tasks-vision's IIFE build)

const BASE = new URL(".", self.location.href).href.replace(/\/$/, "");
const MASK_LOW = 0.02; // pixels above this are part of the box sent
const MASK_MARGIN = 4; // pixels around that box

let landmarker = null;

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "init") {
      await init(message);
    } else if (message.type === "frame") {
      detect(message);
    }
  } catch (error) {
    if (message.bitmap) message.bitmap.close();
    self.postMessage({ type: "error", message: String((error && error.message) || error) });
  }
};

async function sha256Hex(buffer) {
  if (!self.crypto || !self.crypto.subtle) return null; // not a secure context
  const digest = await self.crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function init(message) {
  const started = performance.now();
  const fileset = await Vision.FilesetResolver.forVisionTasks(BASE + "/wasm");
  const response = await fetch(BASE + "/pose_landmarker_lite.task");
  if (!response.ok) throw new Error(`the pose model could not be loaded (HTTP ${response.status})`);
  const buffer = await response.arrayBuffer();
  const digest = await sha256Hex(buffer);
  if (message.modelSha256 && digest !== null && digest !== message.modelSha256) {
    throw new Error("the pose model served does not match models/SHA256SUMS");
  }
  landmarker = await Vision.PoseLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: new Uint8Array(buffer), delegate: "CPU" },
    runningMode: "VIDEO",
    numPoses: message.numPoses || 2,
    minPoseDetectionConfidence: message.minDetection || 0.3,
    outputSegmentationMasks: true,
  });
  self.postMessage({
    type: "ready",
    simd: !fileset.wasmBinaryPath.includes("nosimd"),
    verified: digest !== null,
    ms: performance.now() - started,
  });
}

let lastTs = -1;

function detect(message) {
  const bitmap = message.bitmap;
  if (!landmarker) {
    bitmap.close();
    return;
  }
  const ts = Math.max(Math.round(message.ts), lastTs + 1); // VIDEO mode: increasing timestamps
  lastTs = ts;
  const started = performance.now();
  let reply = null;
  landmarker.detectForVideo(bitmap, ts, (result) => {
    const people = result.landmarks.map((person) =>
      person.map((p) => [p.x, p.y, p.z, p.visibility || 0, p.presence || 0]));
    let mask = null;
    if (message.mask && result.segmentationMasks && result.segmentationMasks.length) {
      const m = result.segmentationMasks[0];
      mask = encodeMask(m.getAsFloat32Array(), m.width, m.height, message.maskStep || 1);
      const scale = message.scale || 1; // the frame was shrunk by this factor before detection
      if (mask && scale !== 1) {
        mask.x *= scale;
        mask.y *= scale;
        mask.step *= scale;
        mask.width *= scale;
        mask.height *= scale;
      }
    }
    reply = { type: "pose", ts: message.ts, people, mask };
  });
  bitmap.close();
  reply.ms = performance.now() - started;
  self.postMessage(reply);
}

function encodeMask(values, width, height, step) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (values[row + x] > MASK_LOW) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  x0 = Math.max(0, x0 - MASK_MARGIN);
  y0 = Math.max(0, y0 - MASK_MARGIN);
  x1 = Math.min(width - 1, x1 + MASK_MARGIN);
  y1 = Math.min(height - 1, y1 + MASK_MARGIN);
  const w = Math.ceil((x1 - x0 + 1) / step), h = Math.ceil((y1 - y0 + 1) / step);
  const bytes = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let sum = 0, n = 0;
      for (let dy = 0; dy < step; dy++) {
        const y = y0 + j * step + dy;
        if (y > y1) break;
        const row = y * width;
        for (let dx = 0; dx < step; dx++) {
          const x = x0 + i * step + dx;
          if (x > x1) break;
          sum += values[row + x];
          n++;
        }
      }
      bytes[j * w + i] = Math.round((255 * sum) / n);
    }
  }
  return { x: x0, y: y0, w, h, step, width, height, data: toBase64(bytes) };
}

function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
