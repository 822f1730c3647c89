"""Batch speed-up of ``posture analyze --jobs``: one process against one per core.

    python -m benchmarks.batch_speed [--photos 120] [--jobs 2]

Renders 12 synthetic side views (1.2 MP, tilts -10° to +12°, both facings) and writes each 10 times at different
JPEG qualities (so no two files are the same), then times the command as a user runs it on the
folder, model loading included, with ``--jobs 1`` and ``--jobs N`` (alternating, twice each),
and checks that both print the same results in the same order. Writes
``benchmarks/results/batch_speed.md`` and ``batch_speed.json`` with the load average before
and after: on a shared machine the speed-up is only as good as the cores that were free.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def make_photos(folder: Path, count: int) -> None:
    from PIL import Image

    from benchmarks.synth.generate import SceneParams, render_scene

    scenes = [
        render_scene(
            SceneParams(
                width=960,
                height=1280,
                seed=seed,
                pelvis_tilt_deg=-10.0 + 2 * seed,
                facing="left" if seed % 2 else "right",
            )
        )[0]
        for seed in range(12)
    ]
    for index in range(count):
        Image.fromarray(scenes[index % len(scenes)]).save(
            folder / f"photo_{index:04d}.jpg", quality=70 + index // len(scenes) % 30
        )


def run(folder: Path, jobs: int) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "posture.cli", "analyze", str(folder), "--json", "--jobs", str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in done.stdout.splitlines()]
    for record in records:
        record.pop("timings_ms", None)
    return seconds, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        make_photos(folder, args.photos)
        times: dict[int, list[float]] = {1: [], args.jobs: []}
        outputs = {}
        for _ in range(2):
            for jobs in (1, args.jobs):
                seconds, outputs[jobs] = run(folder, jobs)
                times[jobs].append(seconds)
                print(f"--jobs {jobs}: {seconds:.1f} s", flush=True)
    load_after = os.getloadavg()
    same = outputs[1] == outputs[args.jobs]
    one, many = min(times[1]), min(times[args.jobs])
    report = {
        "photos": args.photos,
        "jobs": args.jobs,
        "cores": os.cpu_count(),
        "seconds_one_process": times[1],
        "seconds_n_processes": times[args.jobs],
        "speed_up_best": one / many,
        "same_output": same,
        "load_average_before": load_before,
        "load_average_after": load_after,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "batch_speed.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / "batch_speed.md").write_text(
        f"# Batch speed-up of `posture analyze --jobs`\n\n"
        f"{args.photos} photos of 1.2 MP (JPEG), the command timed as a user runs it (model "
        f"loading included), best of two runs each.\n\n"
        f"| processes | seconds | photos per second |\n| --- | --- | --- |\n"
        f"| 1 | {one:.1f} | {args.photos / one:.2f} |\n"
        f"| {args.jobs} | {many:.1f} | {args.photos / many:.2f} |\n\n"
        f"Speed-up: **{one / many:.2f}×** on {os.cpu_count()} cores; same results in the same "
        f"order: {same}. Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{v:.1f}' for v in load_before)}; after: "
        f"{', '.join(f'{v:.1f}' for v in load_after)}.\n"
    )
    print(f"speed-up {one / many:.2f}x, same output: {same}, load {load_before} -> {load_after}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
