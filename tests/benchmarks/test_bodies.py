"""The many-bodies generator (benchmarks/bodies) on one body and a few small renders.

Needs the benchmark requirements (anny and a CPU PyTorch, ``make bench-setup``); without
them every test that needs anny skips and says so. Those tests are marked slow (about a
minute on a quiet machine once anny is built). The first anny build on a machine takes
1-5 minutes (Warp compiles its kernels, anny caches its data in ~/.cache), later ones
seconds.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from benchmarks.bodies.generate import split_of

SMALL = {"width": 180, "height": 320}


def _need_anny() -> None:
    from benchmarks.bodies.model import anny_available

    reason = anny_available()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def subject():
    _need_anny()
    from benchmarks.bodies.sampling import body_spec
    from benchmarks.bodies.scene import make_subject

    return make_subject(body_spec(7, 0))


@pytest.fixture(scope="module")
def scene(subject):
    from benchmarks.bodies.sampling import sample_scene

    scene = sample_scene(np.random.default_rng(3), subject.body.stature_m, **SMALL)
    return dataclasses.replace(
        scene,
        facing="right",
        shift_x=0.0,
        shift_y=0.0,
        yaw_deg=6.0,
        roll_deg=0.0,
        blur_sigma=0.0,
        noise_sigma=0.0,
        jpeg_quality=95,
    )


def test_split_is_by_body_and_about_30_percent_test():
    ids = [f"s1b{i:05d}" for i in range(2000)]
    splits = [split_of(b) for b in ids]
    assert splits == [split_of(b) for b in ids]
    assert set(splits) == {"train", "test"}
    assert 0.26 < splits.count("test") / len(splits) < 0.34


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["compensated", "rigid"])
def test_truth_tilt_follows_the_commanded_change(subject, scene, mode):
    from benchmarks.bodies.dressing import Clothes
    from benchmarks.bodies.scene import render
    from benchmarks.synth.posing import Posture

    clothes = Clothes(top_loose=0.5, hair_m=0.1)
    truths = [
        render(subject, Posture(tilt_deg=t, tilt_mode=mode, lumbar_deg=3.0), clothes, scene)[2]
        for t in (-6.0, 9.0)
    ]
    change = truths[1]["pelvic_tilt_deg"] - truths[0]["pelvic_tilt_deg"]
    assert change == pytest.approx(15.0, abs=0.5)
    assert truths[0]["pelvic_tilt_deg"] == pytest.approx(12.0 - 6.0, abs=0.5)  # rest is 12
    lordosis = truths[1]["lumbar_lordosis_deg"] - truths[0]["lumbar_lordosis_deg"]
    assert lordosis == pytest.approx(15.0 if mode == "compensated" else 0.0, abs=0.5)
    # The skin over the ASIS and PSIS (re-bound to the pelvis) follows most of the turn.
    skin = truths[1]["pelvic_tilt_skin_deg"] - truths[0]["pelvic_tilt_skin_deg"]
    assert 10.0 < skin < 17.0


@pytest.mark.slow
def test_mirror_image_convention(subject, scene):
    """The same scene seen from the body's left reads the same angles, and its image and
    landmarks are the mirror image of the right-side view (left and right swapped)."""
    from benchmarks.bodies.dressing import Clothes
    from benchmarks.bodies.scene import render
    from benchmarks.synth.posing import Posture

    factors = Posture(tilt_deg=8.0, lumbar_deg=-4.0, arm_asymmetry_deg=0.0)
    views = {
        f: render(subject, factors, Clothes(), dataclasses.replace(scene, facing=f))
        for f in ("right", "left")
    }
    right, left = views["right"][2], views["left"][2]
    for key in ("pelvic_tilt_deg", "pelvic_tilt_image_deg", "lumbar_lordosis_deg"):
        assert left[key] == pytest.approx(right[key], abs=1e-6)
    assert right["pelvic_tilt_image_deg"] == pytest.approx(20.0, abs=3.0)  # yaw 6: near 20
    width = SMALL["width"]
    for a, b in (
        ("left_hip", "right_hip"),
        ("left_ear", "right_ear"),
        ("mid_asis", "mid_asis"),
    ):
        xl, yl = left["landmarks"][a]["px"]
        xr, yr = right["landmarks"][b]["px"]
        assert xl == pytest.approx(width - xr, abs=0.05)
        assert yl == pytest.approx(yr, abs=0.05)
    mask_r, mask_l = views["right"][1], views["left"][1]
    overlap = (mask_l & mask_r[:, ::-1]).sum() / (mask_l | mask_r[:, ::-1]).sum()
    assert overlap > 0.97


@pytest.mark.slow
def test_one_body_two_images_reproducible_from_the_seed(tmp_path):
    _need_anny()
    from benchmarks.bodies.generate import write_body

    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        out.mkdir()
        rows = write_body(11, 3, 2, out, **SMALL)
    assert [r["image"] for r in rows] == ["s11b00003_00.jpg", "s11b00003_01.jpg"]
    for name in sorted(p.name for p in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    record = json.loads((first / "s11b00003_01.json").read_text())
    assert record["body_id"] == "s11b00003" and record["split"] == split_of("s11b00003")
    assert set(record) >= {"body", "factors", "clothes", "scene", "camera", "truth"}
    landmarks = record["truth"]["landmarks"]
    for name in (
        "left_shoulder",
        "right_hip",
        "left_knee",
        "right_ankle",
        "left_ear",
        "right_heel",
        "left_foot_index",
        "nose",
        "mid_asis",
        "mid_psis",
    ):
        assert name in landmarks
    tilt = record["truth"]["pelvic_tilt_deg"]
    assert tilt == pytest.approx(12.0 + record["factors"]["tilt_deg"], abs=1e-6)


def test_a_session_keeps_the_setup_and_changes_only_the_posture():
    """Photos of one session: the session's arm pose and camera, moved by at most the stated
    jitter; this photo's own tilt; fresh sensor noise."""
    from benchmarks.bodies.sampling import (
        ARM_JITTER_DEG,
        SESSION_JITTER,
        sample_factors,
        sample_scene,
        session_variant,
    )

    shared = np.random.default_rng([5, 0, 1000])
    arms = sample_factors(shared)
    setup = sample_scene(shared, 1.7, **SMALL)
    photos = []
    for k in range(6):
        rng = np.random.default_rng([5, 0, k + 1])
        photos.append(session_variant(rng, sample_factors(rng), arms, setup))
    for factors, scene in photos:
        assert factors.arms == arms.arms
        assert abs(factors.arm_flexion_deg - arms.arm_flexion_deg) <= ARM_JITTER_DEG + 1e-9
        assert abs(scene.yaw_deg - setup.yaw_deg) <= SESSION_JITTER["yaw_deg"] + 1e-9
        assert abs(scene.distance_m / setup.distance_m - 1) <= SESSION_JITTER["distance"] + 1e-4
        assert (scene.background, scene.top_rgb, scene.facing) == (
            setup.background,
            setup.top_rgb,
            setup.facing,
        )
    assert len({scene.seed for _, scene in photos}) == 6
    assert len({factors.tilt_deg for factors, _ in photos}) == 6
