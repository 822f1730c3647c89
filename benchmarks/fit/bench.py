"""The estimator's part of ``make bench``: test sets made from fixed seeds, their poses, the report.

    PYTHONPATH=. python -m benchmarks.fit.bench [--bodies 60] [--workers 2]   # make bench-estimator

Works from a clean checkout with the benchmark requirements installed (``make bench-setup``).
Every set goes into the benchmark data folder (``$POSTURE_BENCH_DATA``, else ``benchmarks/data``;
``benchmarks.data_folder``), and each step is skipped when its output is complete, so a second
run regenerates nothing:

1. held-out bodies: ``benchmarks.bodies.generate --seed 909`` (a seed never used for training,
   which uses 101, 202, 303 and 404), so every body and every image is a test image; skipped with the
   reason when it is not there yet and anny is not installed;
2. the single-mesh cross-domain set: ``benchmarks.fit.mesh_data --seed 2026 --scenes 24``;
   skipped with the reason when its mesh (in ../shared/models_3d) is absent;
3. the poses of both, cached (``benchmarks.fit.cache``, in ``<data>/cache``);
4. the report (``benchmarks.fit.report --held-out … --cross …``): issue 14's table, the
   reliability table, the error by factor, the real photos in ../shared/samples (skipped when
   absent) and the real clip (``benchmarks.fit.clip``; skipped when the Sports2D wheel can be
   neither found nor downloaded). Writes ``benchmarks/results/estimator.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import data_folder

HELD_OUT_SEED = 909
"""Never used for training (the shipped model was fitted on seeds 101, 202, 303 and 404)."""
HELD_OUT_BODIES = 60
"""Bodies in the held-out set by default (8 images each, in sessions of 4)."""
MESH_SEED, MESH_SCENES = 2026, 24


def held_out_command(out: Path, *, bodies: int, per_body: int, session_size: int, workers: int) -> list[str]:
    command = ["benchmarks.bodies.generate", "--seed", str(HELD_OUT_SEED), "--bodies", str(bodies)]
    command += ["--per-body", str(per_body)]
    if session_size:
        command += ["--session-size", str(session_size)]
    return command + ["--out", str(out), "--workers", str(workers)]


def mesh_command(out: Path, *, workers: int) -> list[str]:
    return ["benchmarks.fit.mesh_data", "--out", str(out), "--scenes", str(MESH_SCENES)] + [
        "--seed",
        str(MESH_SEED),
        "--workers",
        str(workers),
    ]


STAMP = ".complete.json"
"""Written into a set's folder when its generator finished; holds the command that made it."""


def is_complete(out: Path, command: list[str], expected_images: int, version: int | None = None) -> bool:
    """The set in ``out`` was made by ``command`` (its stamp), or, for a set made before stamps
    existed, its index already has ``expected_images`` lines; and, when ``version`` is given,
    its images were made by that version of the body generator (``GENERATOR_VERSION``)."""
    if version is not None and _generator_version(out) != version:
        return False
    stamp = out / STAMP
    if stamp.is_file():
        try:
            return json.loads(stamp.read_text()) == _settings(command)
        except ValueError:
            return False
    index = out / "index.jsonl"
    if not index.is_file():
        return False
    return sum(1 for line in index.read_text().splitlines() if line.strip()) >= expected_images


def _generator_version(out: Path) -> int | None:
    """The body generator's version recorded in the first image's JSON (None when unknown)."""
    try:
        first = json.loads((out / "index.jsonl").read_text().splitlines()[0])
        return json.loads((out / first["json"]).read_text())["generator"]["version"]
    except (OSError, IndexError, KeyError, TypeError, ValueError):
        return None


def _settings(command: list[str]) -> list[str]:
    """The command without ``--workers`` (the same seed gives the same bytes with any number)."""
    out = list(command)
    if "--workers" in out:
        at = out.index("--workers")
        del out[at : at + 2]
    return out


def make_set(out: Path, command: list[str], expected_images: int, version: int | None = None) -> str:
    """Run the generator ``command`` (a module and its arguments) unless ``out`` is complete."""
    if is_complete(out, command, expected_images, version):
        return f"{out}: already there, not regenerated"
    subprocess.run([sys.executable, "-m", *command], check=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).write_text(json.dumps(_settings(command)) + "\n")
    return f"{out}: generated"


def anny_missing() -> str | None:
    """None when the body model can run, else why not (the held-out bodies are then skipped)."""
    from benchmarks.bodies.model import anny_available

    return anny_available()


def mesh_missing() -> str | None:
    """None when the single mesh can be rendered, else why not (it lives in ../shared)."""
    from benchmarks.synth.gltf import MODEL_PATH

    if Path(MODEL_PATH).is_file():
        return None
    return f"the base mesh {MODEL_PATH} is missing (the single-mesh renders need ../shared/models_3d)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bodies", type=int, default=HELD_OUT_BODIES, help=f"held-out bodies (default {HELD_OUT_BODIES})"
    )
    parser.add_argument("--per-body", type=int, default=8)
    parser.add_argument(
        "--session-size",
        type=int,
        default=4,
        help="images per session of one body (same clothes, camera, scene); 0: leave the flag out",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--data", type=Path, default=None, help="default: $POSTURE_BENCH_DATA or benchmarks/data"
    )
    parser.add_argument("--no-photos", action="store_true", help="skip the real photos and the real clip")
    parser.add_argument("--out", type=Path, default=None, help="report folder (default benchmarks/results)")
    args = parser.parse_args(argv)
    if args.data is not None:  # the pose cache follows the data (benchmarks.fit.dataset.cache_dir)
        os.environ[data_folder.ENV] = str(args.data.resolve())
    root = data_folder.root()
    print(f"benchmark data: {root}")
    report_args: list[str] = []

    from benchmarks.bodies.generate import GENERATOR_VERSION

    bodies = root / f"bodies-s{HELD_OUT_SEED}"
    command = held_out_command(
        bodies,
        bodies=args.bodies,
        per_body=args.per_body,
        session_size=args.session_size,
        workers=args.workers,
    )
    expected = args.bodies * args.per_body
    missing = None if is_complete(bodies, command, expected, GENERATOR_VERSION) else anny_missing()
    if missing:
        print(f"held-out bodies skipped: {missing}")
    else:
        print(make_set(bodies, command, expected, GENERATOR_VERSION))
        report_args += ["--held-out", str(bodies)]

    mesh = root / f"mesh-{MESH_SEED}"
    from benchmarks.accuracy import TILTS

    command, expected = mesh_command(mesh, workers=args.workers), MESH_SCENES * len(TILTS)
    missing = None if is_complete(mesh, command, expected) else mesh_missing()
    if missing:
        print(f"single-mesh set skipped: {missing}")
    else:
        print(make_set(mesh, command, expected))
        report_args += ["--cross", str(mesh)]

    from benchmarks.fit import cache, dataset, report

    for folder in (Path(p) for p in report_args[1::2]):  # poses, with the workers asked for
        cache.run(dataset.read_records(folder), folder, dataset.cache_dir(folder), args.workers)
    if args.no_photos:
        report_args.append("--no-photos")
    if args.out is not None:
        report_args += ["--out", str(args.out)]
    return report.main(report_args)


if __name__ == "__main__":
    raise SystemExit(main())
