// Runs webapp/mirror/src/markers.js in Node for tests/live/test_markers_js.py.
// Usage: node run_markers.js JOB.json   (prints one JSON answer per job)
// A job: {rgba: path of raw RGBA bytes, width, height, person: 33 x [x, y, ...] normalised,
//         facing: +1/-1 or null}            -> PostureMarkers.read
//    or: {rgba, width, height, region: {box, radius, hip, stature}} -> findStickers on the box
"use strict";
const fs = require("fs");
const path = require("path");
require(path.join(__dirname, "..", "..", "webapp", "mirror", "src", "markers.js"));
const M = globalThis.PostureMarkers;

const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const answers = [];
for (const job of jobs) {
  const bytes = fs.readFileSync(job.rgba);
  const getPixels = (box) => {
    const out = new Uint8ClampedArray(box.w * box.h * 4);
    for (let i = 0; i < box.h; i++) {
      const start = ((box.y + i) * job.width + box.x) * 4;
      out.set(bytes.subarray(start, start + box.w * 4), i * box.w * 4);
    }
    return out;
  };
  if (job.person) {
    const reading = M.read(getPixels, job.person, job.width, job.height, job.facing || null);
    answers.push(reading);
  } else {
    const box = M.cropBox(job.region, job.width, job.height);
    answers.push({ stickers: M.findStickers(getPixels(box), box.w, box.h, box.x, box.y, job.region) });
  }
}
process.stdout.write(JSON.stringify(answers));
