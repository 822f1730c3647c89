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

Scene factors (camera, background, light, colours, blur, noise, JPEG) are drawn by
``benchmarks.synth.generate.sample_params`` with the single-mesh benchmark's ranges, except
yaw (+-15 degrees), the camera height (0.6-1.7 m, which sets the pitch: the camera looks at
the middle of the body) and the distance (from the frame fill and this body's stature).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from benchmarks.bodies.dressing import Clothes, dress, hair_weight, painting
from benchmarks.bodies.model import Body, body_from_spec, sample_body_spec
from benchmarks.bodies.posing import Factors, pose, rebind_pelvic_skin
from benchmarks.bodies.truth import bony_pelvis, compute_truth, surface_rules
from benchmarks.synth.appearance import REGIONS, albedo_table, classify
from benchmarks.synth.camera import Camera, orbit_camera
from benchmarks.synth.generate import SceneParams, _jsonable, sample_params
from benchmarks.synth.render import (
    Lighting,
    Room,
    background,
    degrade,
    interpolate,
    rasterize,
    shade,
    to_uint8,
)
from benchmarks.synth.surface import vertex_normals

GENERATOR_VERSION = 3
"""1: the first data sets (bodies-v1, commit febc83c). 2: the back-midline rule no longer keeps
only vertices behind the T12/L1 joint (it found none on a very thin body); same output otherwise
except where that rule had fallen back to its wider window. 3: ``--session-size`` (sessions of
one body in one set-up); with the default of 1 the images are those of version 2."""
SESSION_JITTER = {"yaw_deg": 2.0, "pitch_deg": 1.0, "roll_deg": 1.0, "distance": 0.03, "shift": 0.01}
"""How far the camera moves between the photos of one session (uniform +-; distance and shift
as fractions): a phone on a tripod or held by a trainer, put back in about the same place."""
ARM_JITTER_DEG = 3.0
"""How far the arm angles move between the photos of one session (uniform +-, degrees)."""
TEST_SHARE = 0.30
ARM_WEIGHTS = {"hanging": 0.55, "crossed": 0.15, "hips": 0.15, "behind": 0.15}
SCALAR_TRUTH = (
    "pelvic_tilt_deg",
    "pelvic_tilt_change_deg",
    "pelvic_tilt_with_morphology_deg",
    "pelvic_tilt_skin_deg",
    "pelvic_tilt_image_deg",
    "lumbar_lordosis_deg",
    "lumbar_flexicurve_skin_deg",
    "trunk_lean_deg",
    "knee_angle_deg",
    "hip_ahead_of_ankle_m",
    "ear_ahead_of_shoulder_m",
)


def body_id(seed: int, index: int) -> str:
    return f"s{seed}b{index:05d}"


def split_of(body: str) -> str:
    """ "test" for about ``TEST_SHARE`` of body ids, "train" for the rest (by SHA-256)."""
    h = int(hashlib.sha256(body.encode()).hexdigest()[:8], 16)
    return "test" if h < TEST_SHARE * 2**32 else "train"


# --- sampling -----------------------------------------------------------------------------


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 3)


def sample_factors(rng: np.random.Generator) -> Factors:
    """Posture factors of one image (ranges in the README)."""
    names = list(ARM_WEIGHTS)
    arms = names[int(rng.choice(len(names), p=list(ARM_WEIGHTS.values())))]
    flexion = _u(rng, -30.0, -15.0) if arms == "behind" else _u(rng, -8.0, 12.0)
    return Factors(
        tilt_deg=_u(rng, -15.0, 15.0),
        tilt_mode="compensated" if rng.random() < 0.5 else "rigid",
        lumbar_deg=round(float(np.clip(rng.normal(0.0, 6.0), -12.0, 12.0)), 3),
        thoracic_deg=_u(rng, -8.0, 15.0),
        sway_deg=0.0 if rng.random() < 0.6 else _u(rng, 2.0, 7.0),
        knee_hyperextension_deg=0.0 if rng.random() < 0.6 else _u(rng, 2.0, 10.0),
        head_forward_deg=_u(rng, 0.0, 6.0) if rng.random() < 0.5 else _u(rng, 6.0, 22.0),
        arms=arms,
        arm_flexion_deg=flexion,
        arm_abduction_deg=_u(rng, 4.0, 14.0),
        elbow_deg=_u(rng, 0.0, 25.0),
        arm_asymmetry_deg=_u(rng, -10.0, 10.0),
    )


def sample_clothes(rng: np.random.Generator, sex: str) -> Clothes:
    """Clothes and hair of one image: 40 % skin-tight tops, 30 % a little and 30 % very loose."""
    r = rng.random()
    loose = 0.0 if r < 0.4 else (_u(rng, 0.15, 0.5) if r < 0.7 else _u(rng, 0.5, 1.0))
    hem = _u(rng, 0.10, 0.18) if loose < 0.5 else _u(rng, 0.0, 0.10)
    shorts = rng.random() < 0.4
    leg_cover = _u(rng, 0.3, 0.95) if shorts else _u(rng, 1.6, 2.0)
    long_hair = rng.random() < (0.65 if sex == "female" else 0.1)
    return Clothes(
        top_loose=loose,
        hem_m=hem,
        trouser_loose=_u(rng, 0.0, 0.5) if shorts else _u(rng, 0.0, 1.0),
        hair_m=_u(rng, 0.02, 0.18) if long_hair else 0.0,
        leg_cover=leg_cover,
        sleeve=_u(rng, 0.0, 2.0),
        shoes=bool(rng.random() < 0.7),
        hair=bool(rng.random() < 0.9),
    )


def session_variant(
    rng: np.random.Generator, factors: Factors, arms: Factors, scene: SceneParams
) -> tuple[Factors, SceneParams]:
    """One photo of a session: this photo's posture ``factors`` with the session's arm pose
    (``arms``, each angle moved by up to ``ARM_JITTER_DEG``) and the session's ``scene`` with
    the camera moved by up to ``SESSION_JITTER`` and fresh sensor noise."""
    j = SESSION_JITTER
    factors = dataclasses.replace(
        factors,
        arms=arms.arms,
        arm_flexion_deg=round(arms.arm_flexion_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG), 3),
        arm_abduction_deg=round(arms.arm_abduction_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG), 3),
        elbow_deg=round(max(0.0, arms.elbow_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG)), 3),
        arm_asymmetry_deg=arms.arm_asymmetry_deg,
    )
    scene = dataclasses.replace(
        scene,
        seed=int(rng.integers(2**31)),
        yaw_deg=round(float(np.clip(scene.yaw_deg + _u(rng, -j["yaw_deg"], j["yaw_deg"]), -16, 16)), 3),
        pitch_deg=round(scene.pitch_deg + _u(rng, -j["pitch_deg"], j["pitch_deg"]), 3),
        roll_deg=round(scene.roll_deg + _u(rng, -j["roll_deg"], j["roll_deg"]), 3),
        distance_m=round(scene.distance_m * (1 + _u(rng, -j["distance"], j["distance"])), 4),
        shift_x=round(scene.shift_x + _u(rng, -j["shift"], j["shift"]), 4),
        shift_y=round(scene.shift_y + _u(rng, -j["shift"], j["shift"]), 4),
    )
    return factors, scene


def sample_scene(rng: np.random.Generator, stature_m: float, *, width: int, height: int) -> SceneParams:
    """Camera, light, colours and degradations (see the module docstring)."""
    scene = sample_params(
        rng,
        width=width,
        height=height,
        height_m=round(stature_m, 4),
        yaw_deg=(-15.0, 15.0),
        pitch_deg=0.0,
        roll_deg=(-4.0, 4.0),
        frame_fill=(0.55, 0.85),
    )
    camera_height = float(rng.uniform(0.6, 1.7))
    pitch = math.degrees(
        math.asin(np.clip((0.5 * stature_m - camera_height) / scene.distance_m, -0.35, 0.35))
    )
    return dataclasses.replace(scene, pitch_deg=round(pitch + float(rng.uniform(-2, 2)), 3))


# --- rendering ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class Subject:
    """A body ready to pose: rest body (pelvic skin re-bound), surface rules, its spec."""

    body: Body
    rules: dict
    spec: dict


def make_subject(spec: dict) -> Subject:
    """The body of ``spec`` with its pelvic skin bound to the pelvis and its surface rules."""
    body = body_from_spec(spec)
    psis_y = bony_pelvis(body)["mid_psis"][1]
    body = rebind_pelvic_skin(body, psis_y + 0.015, psis_y + 0.06)
    return Subject(body=body, rules=surface_rules(body), spec=spec)


def camera_for(posed_bones_head, scene: SceneParams, stature_m: float, *, supersample: int = 1) -> Camera:
    """The scene's orbit camera aimed at the middle of the body."""
    hip_x, ankle_x = posed_bones_head
    target = np.array([0.5 * (hip_x + ankle_x), 0.5 * stature_m, 0.0])
    s = supersample
    return orbit_camera(
        target,
        facing=scene.facing,
        yaw_deg=scene.yaw_deg,
        pitch_deg=scene.pitch_deg,
        roll_deg=scene.roll_deg,
        distance_m=scene.distance_m,
        focal_mm=scene.focal_mm,
        width=scene.width * s,
        height=scene.height * s,
        shift=(scene.shift_x, scene.shift_y),
    )


def render(
    subject: Subject,
    factors: Factors,
    clothes: Clothes,
    scene: SceneParams,
    *,
    morphology_deg: float = 0.0,
) -> tuple[bytes, np.ndarray, dict, Camera]:
    """``(jpeg_bytes, mask, truth, camera)`` of one image."""
    body = subject.body
    posed = pose(body, factors)
    surface = dress(body, posed.vertices, clothes)
    faces = body.rig.faces
    normals = vertex_normals(surface, faces)
    anchor = (
        0.5 * (posed.head("upperleg01.L")[0] + posed.head("upperleg01.R")[0]),
        0.5 * (posed.head("foot.L")[0] + posed.head("foot.R")[0]),
    )
    camera = camera_for(anchor, scene, body.stature_m)
    s = scene.supersample
    big = camera_for(anchor, scene, body.stature_m, supersample=s)

    uv, depth = big.project(surface)
    fragments = rasterize(uv, depth, faces, big.width, big.height)
    side = 1.0 if scene.facing == "right" else -1.0
    lighting = Lighting(
        azimuth_deg=side * scene.light_azimuth_deg,
        elevation_deg=scene.light_elevation_deg,
        diffuse=scene.light_diffuse,
        ambient=scene.light_ambient,
    )
    feet = 0.5 * (posed.head("foot.L") + posed.head("foot.R")) * np.array([1.0, 0.0, 1.0])
    room = Room(
        style=scene.background,
        wall=scene.wall_rgb,
        floor=scene.floor_rgb,
        wall_distance_m=scene.wall_distance_m,
    )
    image = background(camera, room, feet=feet).astype(np.float32)
    if s > 1:
        image = cv2.resize(image, (big.width, big.height), interpolation=cv2.INTER_LINEAR)
    image = image.reshape(-1, 3)
    paint = painting(body, clothes)
    regions = classify(
        paint.group[fragments.face],
        interpolate(fragments, faces, paint.attributes),
        paint,
        clothes.outfit(),
    )
    long_hair = interpolate(fragments, faces, hair_weight(body, clothes)) > 0.5
    regions[long_hair] = REGIONS.index("hair")
    table = albedo_table(
        {
            "skin": scene.skin_rgb,
            "top": scene.top_rgb,
            "bottom": scene.bottom_rgb,
            "shoes": scene.shoes_rgb,
            "hair": scene.hair_rgb,
        }
    )
    image[fragments.pixel] = shade(fragments, faces, normals, table[regions], lighting)
    image = image.reshape(big.height, big.width, 3)
    coverage = fragments.mask().astype(np.float32)
    if s > 1:
        size = (scene.width, scene.height)
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        coverage = cv2.resize(coverage, size, interpolation=cv2.INTER_AREA)
    mask = coverage >= 0.5
    _, jpeg = degrade(
        to_uint8(image),
        blur_sigma=scene.blur_sigma,
        noise_sigma=scene.noise_sigma,
        jpeg_quality=scene.jpeg_quality or 95,
        rng=np.random.default_rng(scene.seed),
    )
    truth = compute_truth(posed, subject.rules, camera, scene.facing, morphology_deg=morphology_deg)
    ys, xs = np.nonzero(mask)
    truth["silhouette_bbox_px"] = (
        [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1] if len(xs) else None
    )
    truth["silhouette_area_px"] = int(mask.sum())
    return jpeg, mask, truth, camera


def camera_json(camera: Camera) -> dict:
    return {
        "position_m": camera.position.tolist(),
        "rotation_world_to_camera": camera.rotation.tolist(),
        "focal_px": camera.focal_px,
        "cx": camera.cx,
        "cy": camera.cy,
        "width": camera.width,
        "height": camera.height,
        "convention": "OpenCV: x right, y down, z along the optical axis; "
        "pixel (u, v) has its centre at (u + 0.5, v + 0.5)",
    }


# --- one body ----------------------------------------------------------------------------


def body_spec(seed: int, index: int) -> dict:
    """The body parameters of body ``index`` of ``seed`` (JSON-able)."""
    rng = np.random.default_rng([seed, index])
    spec = sample_body_spec(rng)
    spec["pelvis_morphology_deg"] = round(float(np.clip(rng.normal(0.0, 4.0), -8.0, 8.0)), 3)
    return spec


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
        (out / f"{stem}.json").write_text(json.dumps(_jsonable(record), indent=1))
        rows.append(index_row(record, stem))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{bid}: {per_body} images in {seconds:.1f} s ({cpu:.1f} s of CPU)", file=sys.stderr, flush=True)
    return rows


def index_row(record: dict, stem: str) -> dict:
    """The ``index.jsonl`` line of one image's record."""
    return _jsonable(
        {
            "image": f"{stem}.jpg",
            "json": f"{stem}.json",
            "body_id": record["body_id"],
            "session": record.get("session"),
            "split": record["split"],
            "facing": record["scene"]["facing"],
            "truth": {k: record["truth"][k] for k in SCALAR_TRUTH},
        }
    )


def reindex(out: Path, per_body: int) -> int:
    """Rewrite ``out/index.jsonl`` from the image JSONs of every body whose ``per_body``
    JSONs are all present and readable (for a run that was stopped); the image count."""
    bodies: dict[str, list] = {}
    for path in sorted(out.glob("s*b*_*.json")):
        bodies.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    lines = []
    for paths in bodies.values():
        try:
            rows = [index_row(json.loads(p.read_text()), p.stem) for p in paths]
        except (json.JSONDecodeError, KeyError):
            continue
        if len(rows) == per_body:
            lines.extend(json.dumps(row) + "\n" for row in rows)
    (out / "index.jsonl").write_text("".join(lines))
    return len(lines)


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


def _sort_index(path: Path) -> None:
    """Rewrite ``index.jsonl`` sorted by image, one line per image (the last one written)."""
    rows = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["image"]] = line
    path.write_text("".join(rows[k] + "\n" for k in sorted(rows)))


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
    _sort_index(index)
    seconds = time.perf_counter() - started
    print(
        f"wrote {count} images of {args.bodies} bodies to {args.out} in {seconds:.0f} s "
        f"({seconds / max(count, 1):.2f} s per image, {args.workers} worker(s))"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    raise SystemExit(main())
