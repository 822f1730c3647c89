"""Render side views of many random anny bodies with known truth.

Usage::

    python -m benchmarks.bodies.generate --seed 1 --bodies 40 --per-body 6 --out DIR [--workers 2]

For body ``i`` of seed ``S`` (id ``s{S}b{i:05d}``) writes ``{id}_{k:02d}.jpg`` and
``{id}_{k:02d}.json`` for each image ``k`` (the JSON holds every parameter and the truth,
``benchmarks.bodies.truth``), and appends to ``index.jsonl`` one line per image with its
path, the body id, the split and the scalar truth, a body at a time (so a stopped run leaves
a usable index); at the end the index is sorted by image. ``--first`` starts at another body
index, so a set can be made in parts into one folder; ``--reindex`` rebuilds the index from
the complete bodies' JSONs after a stopped run. A body that fails is reported and skipped. Everything is drawn from
``numpy.random.default_rng([S, i])`` (the body) and ``default_rng([S, i, k + 1])`` (image k),
so the same seed gives the same bytes whatever the number of workers.

Split by body, never by image: ``split_of(body_id)`` is "test" for 30 % of body ids (by
SHA-256 of the id), "train" otherwise.

What an image shows is drawn in ``benchmarks.bodies.sampling``; the body is posed, dressed and
drawn by ``benchmarks.bodies.scene`` (through ``benchmarks.synth.draw``, the render loop of the
single mesh too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from benchmarks.bodies.index import index_row, reindex, sort_index
from benchmarks.bodies.sampling import (
    body_spec,
    sample_clothes,
    sample_factors,
    sample_scene,
    session_variant,
)
from benchmarks.bodies.scene import camera_json, make_subject, render
from benchmarks.synth.draw import jsonable

GENERATOR_VERSION = 3
"""1: the first data sets (bodies-v1, commit febc83c). 2: the back-midline rule no longer keeps
only vertices behind the T12/L1 joint (it found none on a very thin body); same output otherwise
except where that rule had fallen back to its wider window. 3: ``--session-size`` (sessions of
one body in one set-up); with the default of 1 the images are those of version 2."""
TEST_SHARE = 0.30


def body_id(seed: int, index: int) -> str:
    return f"s{seed}b{index:05d}"


def split_of(body: str) -> str:
    """ "test" for about ``TEST_SHARE`` of body ids, "train" for the rest (by SHA-256)."""
    h = int(hashlib.sha256(body.encode()).hexdigest()[:8], 16)
    return "test" if h < TEST_SHARE * 2**32 else "train"


# --- one body ----------------------------------------------------------------------------


def write_body(
    seed: int,
    index: int,
    per_body: int,
    out: Path,
    *,
    width: int = 720,
    height: int = 1280,
    masks: bool = False,
    session_size: int = 1,
) -> list[dict]:
    """Render and write the ``per_body`` images of one body; the index rows.

    With ``session_size`` N > 1 the images come in sessions of N (image k in session k // N):
    the session's clothes, arm pose, camera, room, light and colours are drawn once from
    ``default_rng([seed, index, 1000 + session])`` and each photo changes only its posture,
    with the small camera and arm movements of ``session_variant``. With N = 1 every image
    draws everything itself (generator version 2's images)."""
    from benchmarks.bodies.model import anny_model

    anny_model()  # built once per process
    started, cpu = time.perf_counter(), time.process_time()
    bid = body_id(seed, index)
    spec = body_spec(seed, index)
    subject = make_subject(spec)
    split = split_of(bid)
    rows = []
    for k in range(per_body):
        rng = np.random.default_rng([seed, index, k + 1])
        factors = sample_factors(rng)
        clothes = sample_clothes(rng, spec["sex"])
        scene = sample_scene(rng, subject.body.stature_m, width=width, height=height)
        session = None
        if session_size > 1:
            session = f"{bid}_s{k // session_size}"
            shared = np.random.default_rng([seed, index, 1000 + k // session_size])
            arms = sample_factors(shared)
            clothes = sample_clothes(shared, spec["sex"])
            setup = sample_scene(shared, subject.body.stature_m, width=width, height=height)
            factors, scene = session_variant(rng, factors, arms, setup)
        jpeg, mask, truth, camera = render(
            subject,
            factors,
            clothes,
            scene,
            morphology_deg=spec["pelvis_morphology_deg"],
        )
        stem = f"{bid}_{k:02d}"
        (out / f"{stem}.jpg").write_bytes(jpeg)
        if masks:
            cv2.imwrite(str(out / f"{stem}_mask.png"), mask.astype(np.uint8) * 255)
        record = {
            "generator": {
                "name": "benchmarks.bodies",
                "version": GENERATOR_VERSION,
                "seed": seed,
                "anny": _anny_version(),
            },
            "body_id": bid,
            "session": session,
            "split": split,
            "image": f"{stem}.jpg",
            "body": {
                **spec,
                "phenotype": subject.body.phenotype,
                "stature_m": subject.body.stature_m,
            },
            "factors": factors.to_json(),
            "clothes": clothes.to_json(),
            "scene": scene.to_json(),
            "camera": camera_json(camera),
            "truth": truth,
        }
        (out / f"{stem}.json").write_text(json.dumps(jsonable(record), indent=1))
        rows.append(index_row(record, stem))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{bid}: {per_body} images in {seconds:.1f} s ({cpu:.1f} s of CPU)", file=sys.stderr, flush=True)
    return rows


def _anny_version() -> str:
    from importlib.metadata import version

    return version("anny")


def _job(args: tuple) -> list[dict]:
    """One body's index rows; a body that fails is reported and skipped (no rows)."""
    seed, index, per_body, out, width, height, masks, session_size = args
    try:
        return write_body(
            seed,
            index,
            per_body,
            Path(out),
            width=width,
            height=height,
            masks=masks,
            session_size=session_size,
        )
    except Exception as exc:  # one odd body must not stop a batch of hundreds
        print(
            f"{body_id(seed, index)}: FAILED, skipped ({type(exc).__name__}: {exc})",
            file=sys.stderr,
            flush=True,
        )
        return []


def _run(jobs: list[tuple], workers: int):
    """The index rows of each body, as the bodies finish."""
    if workers <= 1:
        for job in jobs:
            yield _job(job)
        return
    import multiprocessing
    from concurrent.futures import as_completed

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for future in as_completed([pool.submit(_job, job) for job in jobs]):
            yield future.result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--bodies", type=int, required=True)
    parser.add_argument("--per-body", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="index of the first body")
    parser.add_argument("--width", type=int, default=720)
    parser.add_argument("--height", type=int, default=1280)
    parser.add_argument("--masks", action="store_true", help="also write true silhouettes")
    parser.add_argument(
        "--session-size",
        type=int,
        default=1,
        help="photos per session (same clothes, arms, camera and room; only the posture changes)",
    )
    parser.add_argument(
        "--reindex", action="store_true", help="only rebuild index.jsonl from the complete bodies in --out"
    )
    args = parser.parse_args(argv)
    if args.reindex:
        print(f"indexed {reindex(args.out, args.per_body)} images in {args.out / 'index.jsonl'}")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [
        (
            args.seed,
            i,
            args.per_body,
            str(args.out),
            args.width,
            args.height,
            args.masks,
            args.session_size,
        )
        for i in range(args.first, args.first + args.bodies)
    ]
    started = time.perf_counter()
    index = args.out / "index.jsonl"
    count = 0
    with open(index, "a") as handle:  # one body's lines at a time, so a stopped run is usable
        for part in _run(jobs, args.workers):
            handle.writelines(json.dumps(row) + "\n" for row in part)
            handle.flush()
            count += len(part)
    sort_index(index)
    seconds = time.perf_counter() - started
    print(
        f"wrote {count} images of {args.bodies} bodies to {args.out} in {seconds:.0f} s "
        f"({seconds / max(count, 1):.2f} s per image, {args.workers} worker(s))"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    raise SystemExit(main())
