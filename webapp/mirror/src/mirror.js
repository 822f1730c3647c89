/* The live mirror, in the browser: camera -> pose worker -> canvas, landmarks -> the app.
 *
 * A Streamlit component (plain postMessage protocol, no framework). The camera picture is
 * drawn mirrored on a canvas at the camera's rate, with the skeleton, plumb line and pelvis
 * bar of the newest pose. The pose comes from pose_worker.js (MediaPipe in WebAssembly, on
 * its own thread). A few times a second the page sends the app the landmarks and the
 * person's mask of the frames detected since the last send (never the picture); the app
 * measures them (the same Python code as photos) and answers with the readout, shown in
 * the panel. A picture is sent only when the app asks for a capture (the person pressed
 * Capture): the few steadiest recent frames, as JPEG.
 *
 * Skin stickers on the ASIS and the PSIS (markers.js) are looked for in every frame drawn, in
 * the pelvis region of the newest pose: when the pair is found, the tilt shown is the marker
 * tilt of that frame (the median of the last three), drawn with the two stickers circled, and
 * each pose sent to the app carries the marker tilt of its time (marker_tilt), which the app
 * then uses for its readout and the range test.
 *
 * window.mirrorStats holds counters for the tests and the benchmark.
 */
"use strict";

const view = document.getElementById("view");
const ctx = view.getContext("2d");
const video = document.getElementById("camera");
const startButton = document.getElementById("start");
const stopButton = document.getElementById("stop");
const statusLine = document.getElementById("status");

const KEEP_EVERY_MS = 100; // frames kept for a capture: one every 100 ms...
const KEEP_MS = 4000; // ...of the last 4 s
const MAX_BATCH = 6; // poses sent at most per message
const MAX_DETECT_FPS = 15; // poses looked for at most this often: enough for the readout, and
// on a 2-core laptop it leaves the other core to the picture and the rest of the machine
const IN_FLIGHT_TIMEOUT_MS = 3000; // send again if the app did not answer in this time
const MARKER_FRESH_MS = 400; // a marker reading older than this no longer counts as "found"
const MARKER_MEDIAN_OF = 3; // the marker tilt shown: median of the last readings of a found pair
const COLORS = { skeleton: "rgb(80,200,255)", plumb: "rgb(255,215,0)", pelvis: "rgb(60,230,120)",
  lumbar: "rgb(255,80,200)", white: "#fff", sticker: "rgb(255,255,255)" };
const BONES = [["shoulder", "hip"], ["hip", "knee"], ["knee", "ankle"], ["ankle", "heel"],
  ["heel", "foot_index"], ["ankle", "foot_index"], ["shoulder", "elbow"], ["elbow", "wrist"]];
const INDEX = { nose: 0, left_ear: 7, right_ear: 8, left_shoulder: 11, right_shoulder: 12,
  left_elbow: 13, right_elbow: 14, left_wrist: 15, right_wrist: 16, left_hip: 23, right_hip: 24,
  left_knee: 25, right_knee: 26, left_ankle: 27, right_ankle: 28, left_heel: 29, right_heel: 30,
  left_foot_index: 31, right_foot_index: 32 };

let args = new URLSearchParams(location.search).has("scale") ? { detect_scale: Number(new URLSearchParams(location.search).get("scale")) } : {};
let stream = null;
let worker = null;
let workerReady = false;
let workerBusy = false;
let latestPose = null; // {ts, people}
let pending = []; // poses detected since the last send
let seq = 0;
let inFlight = null; // {seq, at}
let readout = null;
let kept = []; // [{ts, bitmap}]
let lastKept = -Infinity;
let lastDetectAt = -Infinity;
let captureDone = null; // id of the last capture answered
let lastValue = null;
let outbox = {}; // camera state, buttons pressed and capture frames waiting for the next message
let commandId = 0;
let markers = null; // the newest sticker reading: {at, tilt, shown, asis, psis, radius} or {at, problem}
let markerTilts = []; // tilts of the last found pairs, for the median shown
let markerCanvas = null;

const stats = window.mirrorStats = {
  shown: 0, detected: 0, sent: 0, answered: 0, detectMs: [], roundTripMs: [],
  shownTimes: [], detectTimes: [], answerTimes: [], readouts: [], started: null, error: null,
  ready: false, markerReadings: [], markerMs: [],
};

// --- Streamlit's component protocol ----------------------------------------------------

function post(type, data) {
  window.parent.postMessage({ isStreamlitMessage: true, type, ...data }, "*");
}

function setValue(value) {
  lastValue = value;
  post("streamlit:setComponentValue", { value, dataType: "json" });
}

let lastHeight = 0;

function setHeight() {
  // The content's own height (not the document's, which grows with the frame and would make
  // the frame grow again), posted only when it changed.
  const height = Math.ceil(document.getElementById("mirror").getBoundingClientRect().height) + 8;
  if (height !== lastHeight) {
    lastHeight = height;
    post("streamlit:setFrameHeight", { height });
  }
}

window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "streamlit:render") return;
  args = data.args || {};
  onArgs();
});

new ResizeObserver(setHeight).observe(document.getElementById("mirror"));
post("streamlit:componentReady", { apiVersion: 1 });

// --- the level guide: a phone's or tablet's orientation sensor ---------------------------
//
// DeviceOrientation gives the device's attitude as intrinsic Z-X'-Y'' angles (alpha, beta,
// gamma; W3C DeviceOrientation Event). "Up" in the device's own axes (x to the screen's right,
// y to its top, z out of the screen) is then (-sin g cos b, sin b, cos g cos b); its angle in the
// screen's plane from the screen's top is how far the phone is turned from level, and the
// screen's orientation angle turns that into the picture's frame. Shown only when the browser
// reports an orientation (phones and tablets; a desktop webcam has none). It is a guide for
// setting up the camera: the tilt is not corrected by it.

const LEVEL_OK_DEG = 1.0;
let level = null; // {roll, pitch} in degrees, or null

function levelFrom(beta, gamma, screenAngle) {
  const b = (beta * Math.PI) / 180, g = (gamma * Math.PI) / 180;
  const up = [-Math.sin(g) * Math.cos(b), Math.sin(b), Math.cos(g) * Math.cos(b)];
  let roll = (Math.atan2(up[0], up[1]) * 180) / Math.PI - (screenAngle || 0);
  roll = ((roll + 540) % 360) - 180;
  const pitch = (Math.atan2(up[2], Math.hypot(up[0], up[1])) * 180) / Math.PI;
  return { roll, pitch };
}

function showLevel() {
  const box = document.getElementById("level");
  if (!level) { box.hidden = true; return; }
  box.hidden = false;
  const roll = level.roll, size = Math.abs(roll).toFixed(1);
  if (Math.abs(roll) <= LEVEL_OK_DEG) {
    box.className = "good";
    box.textContent = `Camera level (${size}° from level).`;
  } else {
    box.className = "";
    // up points to the screen's right: the top of the device leans left; turn it right.
    const way = roll > 0 ? "right" : "left";
    box.textContent = `Camera turned ${size}° from level: turn the top of the phone to the ${way} until this turns green.`;
  }
  if (Math.abs(level.pitch) > 10) {
    box.textContent += ` It also leans ${Math.abs(level.pitch).toFixed(0)}° ${level.pitch > 0 ? "back" : "forward"}: hold it upright.`;
  }
  stats.level = level;
}

window.addEventListener("deviceorientation", (event) => {
  if (event.beta === null || event.gamma === null || event.beta === undefined) return;
  const angle = (screen.orientation && screen.orientation.angle) || 0;
  level = levelFrom(event.beta, event.gamma, angle);
  showLevel();
});

// --- the camera ------------------------------------------------------------------------

startButton.addEventListener("click", start);
stopButton.addEventListener("click", stop);
const liveButtons = Array.from(document.querySelectorAll("button.live"));
for (const button of liveButtons) {
  button.addEventListener("click", () => {
    // Sent with the next message: a Streamlit button outside would rerun the whole page,
    // and a message from here could cut that run short.
    commandId += 1;
    outbox.commands = [...(outbox.commands || []), { id: commandId, name: button.dataset.command }];
    maybeSend();
  });
}

async function start() {
  setStatus("Starting the camera…");
  // iOS asks for the orientation sensor on a tap; elsewhere this does not exist.
  if (window.DeviceOrientationEvent && typeof DeviceOrientationEvent.requestPermission === "function") {
    DeviceOrientationEvent.requestPermission().catch(() => {});
  }
  startWorker();
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } }, audio: false });
  } catch (error) {
    const name = (error && error.name) || "Error";
    setStatus(`${name}: ${error && error.message ? error.message : "the camera could not be opened"}`, true);
    stats.error = name;
    outbox.camera = { state: "error", error: name, message: String(error && error.message) };
    maybeSend();
    return;
  }
  video.srcObject = stream;
  await video.play();
  view.width = video.videoWidth || 640;
  view.height = video.videoHeight || 480;
  startButton.hidden = true;
  stopButton.hidden = false;
  liveButtons.forEach((b) => { b.hidden = false; });
  stats.started = performance.now();
  setStatus(workerReady ? "" : "Loading the pose model…");
  outbox.camera = { state: "playing" };
  maybeSend();
  video.requestVideoFrameCallback(onFrame);
}

function stop() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  video.srcObject = null;
  startButton.hidden = false;
  stopButton.hidden = true;
  liveButtons.forEach((b) => { b.hidden = true; });
  latestPose = null;
  pending = [];
  kept.forEach((k) => k.bitmap.close());
  kept = [];
  setStatus("");
  outbox.camera = { state: "stopped" };
  maybeSend();
}

function setStatus(text, error = false) {
  statusLine.textContent = text;
  statusLine.className = error ? "error" : "";
}

// --- the pose worker -------------------------------------------------------------------

function startWorker() {
  if (worker) return;
  worker = new Worker("pose_worker.js");
  worker.onmessage = (event) => onWorker(event.data);
  worker.onerror = (event) => {
    stats.error = event.message || "the pose worker failed";
    setStatus(`The pose model could not start: ${stats.error}`, true);
  };
  worker.postMessage({ type: "init", modelSha256: args.model_sha256 || null, numPoses: 2, minDetection: 0.3 });
}

function onWorker(message) {
  if (message.type === "ready") {
    workerReady = true;
    stats.ready = true;
    stats.simd = message.simd;
    stats.modelVerified = message.verified;
    if (stream) setStatus("");
  } else if (message.type === "error") {
    workerBusy = false;
    stats.error = message.message;
    setStatus(`Pose model: ${message.message}`, true);
  } else if (message.type === "pose") {
    workerBusy = false;
    if (!stream) return;
    stats.detected += 1;
    stats.detectTimes.push(performance.now());
    stats.detectMs.push(message.ms);
    latestPose = message;
    message.markerTilt = markersFound() ? markers.shown : null;
    pending.push(message);
    if (pending.length > MAX_BATCH) pending.splice(0, pending.length - MAX_BATCH);
    maybeSend();
  }
}

// --- every camera frame: draw it; hand it to the worker when the worker is free ---------------

function onFrame(now, meta) {
  if (!stream) return;
  const ts = now;
  ctx.save();
  ctx.setTransform(-1, 0, 0, 1, view.width, 0); // a mirror
  ctx.drawImage(video, 0, 0, view.width, view.height);
  ctx.restore();
  readMarkers(now);
  drawOverlay();
  stats.shown += 1;
  if (stats.firstFrameAt === undefined) stats.firstFrameAt = now;
  stats.shownTimes.push(now);
  if (workerReady && !workerBusy && now - lastDetectAt >= 1000 / (args.max_detect_fps || MAX_DETECT_FPS) - 8) {
    workerBusy = true;
    lastDetectAt = now;
    const scale = Math.max(1, Math.round(args.detect_scale || 1));
    const options = scale > 1 ? { resizeWidth: Math.round(view.width / scale),
      resizeHeight: Math.round(view.height / scale), resizeQuality: "medium" } : {};
    createImageBitmap(video, options).then((bitmap) => {
      worker.postMessage({ type: "frame", bitmap, ts, mask: true, maskStep: args.mask_step || 1, scale }, [bitmap]);
    }, () => { workerBusy = false; });
  }
  if (ts - lastKept >= KEEP_EVERY_MS) {
    lastKept = ts;
    createImageBitmap(video).then((bitmap) => {
      kept.push({ ts, bitmap });
      while (kept.length && ts - kept[0].ts > KEEP_MS) kept.shift().bitmap.close();
    }, () => {});
  }
  trimTimes();
  if (stats.shown % 15 === 0) showRates();
  video.requestVideoFrameCallback(onFrame);
}

function trimTimes() {
  const now = performance.now();
  if (stats.markerReadings.length > 3000) stats.markerReadings.splice(0, stats.markerReadings.length - 3000);
  if (stats.markerMs.length > 200) stats.markerMs.splice(0, stats.markerMs.length - 200);
  for (const list of [stats.shownTimes, stats.detectTimes, stats.answerTimes]) {
    while (list.length && now - list[0] > 2000) list.shift();
  }
  if (stats.detectMs.length > 200) stats.detectMs.splice(0, stats.detectMs.length - 200);
  if (stats.roundTripMs.length > 200) stats.roundTripMs.splice(0, stats.roundTripMs.length - 200);
  if (stats.readouts.length > 2000) stats.readouts.splice(0, stats.readouts.length - 2000);
}

function rate(times) {
  if (times.length < 2) return 0;
  return (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000);
}

function showRates() {
  document.getElementById("rates").textContent =
    `${rate(stats.shownTimes).toFixed(1)} frames/s shown · ${rate(stats.detectTimes).toFixed(1)} poses/s ` +
    `found in this browser · ${rate(stats.answerTimes).toFixed(1)} readings/s`;
}

// --- to the app: the poses of the last few frames, a few times a second -------------------

function maybeSend() {
  // One message at a time: a component value is a state, not a queue, so a second value sent
  // before the app read the first would replace it. Everything waiting goes in one message.
  const now = performance.now();
  if (inFlight && now - inFlight.at < IN_FLIGHT_TIMEOUT_MS) return;
  const extras = outbox.camera || outbox.capture || outbox.commands;
  if (!extras && inFlight === null && stats.lastSend !== undefined && now - stats.lastSend < (args.send_every_ms || 120)) return;
  if (!pending.length && !extras) return;
  // A message not acknowledged in time is sent again with the next one: its camera state,
  // buttons and capture frames are carried over (the app ignores what it has already done).
  const carried = inFlight ? inFlight.extras : {};
  const extrasNow = {
    camera: outbox.camera || carried.camera,
    capture: outbox.capture || carried.capture,
    commands: [...(carried.commands || []), ...(outbox.commands || [])],
  };
  seq += 1;
  inFlight = { seq, at: now, extras: extrasNow };
  stats.lastSend = now;
  stats.sent += 1;
  const message = { seq, width: view.width, height: view.height,
    rates: { shown: rate(stats.shownTimes), detected: rate(stats.detectTimes), answered: rate(stats.answerTimes) } };
  if (pending.length) {
    message.poses = pending.map((p) => ({ ts: p.ts, people: p.people.map(roundPerson), mask: p.mask,
      marker_tilt: p.markerTilt === null ? null : Math.round(p.markerTilt * 100) / 100 }));
    pending = [];
  }
  if (extrasNow.camera) message.camera = extrasNow.camera;
  if (extrasNow.capture) message.capture = extrasNow.capture;
  if (extrasNow.commands.length) message.commands = extrasNow.commands;
  outbox = {};
  setValue(message);
}

function roundPerson(person) {
  return person.map((p) => p.map((v) => Math.round(v * 1e5) / 1e5));
}

function onArgs() {
  const now = performance.now();
  if (inFlight && args.ack === inFlight.seq) { // the app has read the last message
    stats.roundTripMs.push(now - inFlight.at);
    inFlight = null;
    setTimeout(maybeSend, 0);
  }
  const answer = args.readout;
  if (answer && answer.seq && (!readout || answer.seq !== readout.seq)) {
    readout = answer;
    stats.answered += 1;
    stats.answerTimes.push(now);
    stats.readouts.push({ at: now, frame_ts: answer.frame_ts, tilt: answer.tilt, raw: answer.tilt_raw,
      cls: answer.tilt_class, lumbar: answer.lumbar, code: answer.code, ms: answer.server_ms,
      frames: answer.frames, method: answer.method });
    showReadout(answer);
  }
  const capture = args.capture;
  if (capture && capture.id !== captureDone) {
    captureDone = capture.id;
    sendCapture(capture);
  }
  setHeight();
}

// --- the readout panel -----------------------------------------------------------------

function degrees(value) {
  return value === null || value === undefined ? "—" : `${value > 0 ? "+" : value < 0 ? "−" : ""}${Math.abs(Math.round(value))}°`;
}

function showTilt() {
  // From the stickers at the camera's rate while they are found, else the app's readout.
  const found = markersFound();
  const r = readout || {};
  document.getElementById("tilt").textContent = degrees(found ? markers.shown : r.tilt);
  document.getElementById("tilt-label").textContent = found ? "Pelvic tilt (from skin stickers)" : "Pelvic tilt (live)";
  const method = document.getElementById("tilt-method");
  if (found) {
    method.textContent = "Measured from the two stickers, every frame.";
  } else if (markers && markers.problem && markers.problem !== "no_markers") {
    method.textContent = MARKER_PROBLEMS[markers.problem] || "";
  } else {
    method.textContent = r.tilt === null || r.tilt === undefined ? "" : "Markerless estimate.";
  }
}

const MARKER_PROBLEMS = {
  one_marker: "One sticker seen: turn so both face the camera, above the waistband.",
  ambiguous_markers: "Several sticker-like spots: use a colour found nowhere else on you.",
  marker_hidden: "A hand covers the pelvis: cross the arms on the chest.",
};

function showReadout(r) {
  showTilt();
  document.getElementById("tilt-class").textContent = r.tilt_class ? `Class: ${r.tilt_class}` : "";
  document.getElementById("lumbar").textContent = r.lumbar === null || r.lumbar === undefined ? "—" : `${Math.round(r.lumbar)}°`;
  const guidance = document.getElementById("guidance");
  if (r.headline) {
    guidance.hidden = false;
    guidance.className = r.code ? "" : "good";
    guidance.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = r.headline + (r.headline.endsWith(".") ? "" : ".");
    guidance.appendChild(strong);
    if (r.advice) guidance.appendChild(document.createTextNode(" " + r.advice));
    if (r.code) {
      const code = document.createElement("div");
      code.className = "code";
      code.style.fontSize = "0.8em";
      code.style.color = "#777";
      code.textContent = `reason: ${r.code}`;
      guidance.appendChild(code);
    }
  } else {
    guidance.hidden = true;
  }
  const range = document.getElementById("range");
  if (r.range_percent !== null && r.range_percent !== undefined) {
    range.hidden = false;
    document.getElementById("range-words").textContent = `Your range: ${Math.round(r.range_percent)}% — ${r.range_words || ""}`;
    document.getElementById("range-marker").style.left = `${clamp(r.range_percent, 0, 100)}%`;
    document.getElementById("range-neutral").style.left = `${clamp(r.neutral_percent ?? 50, 0, 100)}%`;
  } else {
    range.hidden = true;
  }
  const notice = document.getElementById("notice");
  notice.hidden = !r.notice;
  notice.textContent = r.notice || "";
  showRates();
}

function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

// --- the overlay -----------------------------------------------------------------------

function pt(person, name) {
  const p = person[INDEX[name]];
  return [(1 - p[0]) * view.width, p[1] * view.height]; // mirrored like the picture
}

function mid(person, part) {
  const a = pt(person, `left_${part}`), b = pt(person, `right_${part}`);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

function line(a, b, color, width) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(a[0], a[1]);
  ctx.lineTo(b[0], b[1]);
  ctx.stroke();
}

function dot(p, r, color) {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(p[0], p[1], r, 0, 2 * Math.PI);
  ctx.fill();
}

function drawOverlay() {
  if (!latestPose || !latestPose.people.length) return;
  const person = latestPose.people[0];
  const width = Math.max(1, Math.round(2 * Math.max(view.width, view.height) / 800));
  ctx.lineCap = "round";
  for (const side of ["left", "right"]) {
    const vis = ["shoulder", "hip", "knee", "ankle"].reduce((s, p) => s + person[INDEX[`${side}_${p}`]][3], 0) / 4;
    const color = vis >= 0.6 ? COLORS.skeleton : "rgba(80,200,255,0.5)";
    for (const [a, b] of BONES) line(pt(person, `${side}_${a}`), pt(person, `${side}_${b}`), color, width);
  }
  line(mid(person, "ear"), mid(person, "shoulder"), COLORS.skeleton, width);
  const ankle = mid(person, "ankle");
  ctx.setLineDash([6 * width, 6 * width]);
  line([ankle[0], 0], [ankle[0], view.height], COLORS.plumb, width);
  ctx.setLineDash([]);
  const r = readout;
  if (r && r.contour && r.contour.length > 1) {
    ctx.strokeStyle = COLORS.lumbar;
    ctx.lineWidth = width + 1;
    ctx.beginPath();
    r.contour.forEach(([x, y], i) => (i ? ctx.lineTo(view.width - 1 - x, y) : ctx.moveTo(view.width - 1 - x, y)));
    ctx.stroke();
  }
  if (r && r.tilt !== null && r.tilt !== undefined && r.facing && !markersFound()) {
    const hip = mid(person, "hip"), shoulder = mid(person, "shoulder");
    const half = 0.22 * Math.abs(hip[1] - shoulder[1]);
    const f = r.facing === "right" ? -1 : 1; // the app's facing is the camera's; the mirror flips it
    const a = (r.tilt * Math.PI) / 180;
    const front = [hip[0] + f * half * Math.cos(a), hip[1] + half * Math.sin(a)];
    const back = [hip[0] - f * half * Math.cos(a), hip[1] - half * Math.sin(a)];
    line(back, front, COLORS.pelvis, width + 2);
    dot(front, width + 3, COLORS.pelvis);
  }
  for (const part of ["ear", "shoulder", "hip", "knee", "ankle"]) dot(mid(person, part), width + 2, COLORS.white);
  if (markersFound()) {
    const asis = [view.width - 1 - markers.asis[0], markers.asis[1]];
    const psis = [view.width - 1 - markers.psis[0], markers.psis[1]];
    line(psis, asis, COLORS.pelvis, width + 1);
    for (const [p, radius] of [[asis, markers.radius[0]], [psis, markers.radius[1]]]) {
      ctx.strokeStyle = COLORS.sticker;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(p[0], p[1], radius + 3 * width, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

// --- skin stickers, every frame drawn ----------------------------------------------------------

function markersFound() {
  return markers !== null && markers.tilt !== undefined && performance.now() - markers.at <= MARKER_FRESH_MS;
}

function readMarkers(now) {
  if (args.markers === false || !latestPose || !latestPose.people.length || !self.PostureMarkers) return;
  const started = performance.now();
  const facing = readout && readout.facing ? (readout.facing === "right" ? 1 : -1) : null;
  let reading;
  try {
    reading = PostureMarkers.read(cameraPixels, latestPose.people[0], view.width, view.height, facing);
  } catch (error) {
    stats.error = `stickers: ${error && error.message}`;
    return;
  }
  stats.markerMs.push(performance.now() - started);
  if (reading.tilt !== undefined) {
    markerTilts.push(reading.tilt);
    if (markerTilts.length > MARKER_MEDIAN_OF) markerTilts.shift();
    const sorted = [...markerTilts].sort((a, b) => a - b);
    markers = { at: now, tilt: reading.tilt, shown: sorted[(sorted.length - 1) >> 1], asis: reading.asis,
      psis: reading.psis, radius: reading.radius };
  } else {
    markerTilts = [];
    if (!markersFound()) markers = { at: now, problem: reading.problem };
  }
  stats.markerReadings.push({ at: now, tilt: reading.tilt === undefined ? null : reading.tilt,
    shown: markersFound() ? markers.shown : null, problem: reading.problem || null });
  showTilt();
}

function cameraPixels(box) {
  // The camera's own pixels of the box (not mirrored, not scaled): the video frame drawn again.
  if (!markerCanvas) markerCanvas = document.createElement("canvas");
  if (markerCanvas.width !== box.w || markerCanvas.height !== box.h) {
    markerCanvas.width = box.w;
    markerCanvas.height = box.h;
  }
  const c = markerCanvas.getContext("2d", { willReadFrequently: true });
  c.drawImage(video, box.x, box.y, box.w, box.h, 0, 0, box.w, box.h);
  return c.getImageData(0, 0, box.w, box.h).data;
}

// --- capture: the steadiest recent frames, as JPEG, only when the person asks ------------------

async function sendCapture(capture) {
  const wanted = capture.timestamps || [];
  const frames = [];
  const chosen = new Set();
  for (const ts of wanted) {
    let best = null;
    for (const k of kept) {
      if (chosen.has(k) || Math.abs(k.ts - ts) > 150) continue;
      if (!best || Math.abs(k.ts - ts) < Math.abs(best.ts - ts)) best = k;
    }
    if (best) chosen.add(best);
  }
  if (!chosen.size && kept.length) chosen.add(kept[kept.length - 1]);
  const canvas = document.createElement("canvas");
  for (const k of chosen) {
    canvas.width = k.bitmap.width;
    canvas.height = k.bitmap.height;
    const c = canvas.getContext("2d");
    c.setTransform(-1, 0, 0, 1, canvas.width, 0); // the picture as the person saw it
    c.drawImage(k.bitmap, 0, 0);
    const url = canvas.toDataURL("image/jpeg", 0.95);
    frames.push({ ts: k.ts, jpeg: url.slice(url.indexOf(",") + 1) });
  }
  stats.captures = (stats.captures || 0) + 1;
  outbox.capture = { id: capture.id, frames };
  maybeSend();
}
