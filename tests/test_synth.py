"""The synthetic side-view generator (benchmarks/synth): rig, posing, truth, rendering.

Most tests need the CC0 base mesh in ../shared/models_3d and skip cleanly without it.
Renders are small (at most 320 px tall) to keep the file quick.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.synth import gltf

MODEL = Path(__file__).resolve().parents[1] / "models" / "pose_landmarker_full.task"
SMALL = {"width": 180, "height": 320}


def _need_mesh() -> None:
    if not gltf.MODEL_PATH.is_file():
        pytest.skip("the CC0 base mesh in ../shared/models_3d is absent")


@pytest.fixture(scope="module")
def figure():
    from benchmarks.synth.figure import load_figure

    _need_mesh()
    return load_figure()


def _bone_y_axis(bones: np.ndarray, rig, name: str) -> np.ndarray:
    axis = bones[rig.index(name), :3, 1]
    return axis / np.linalg.norm(axis)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip(np.dot(a, b), -1.0, 1.0))))


# --- file and rig -----------------------------------------------------------------------


def test_glb_loads_with_the_expected_bones():
    _need_mesh()
    mesh = gltf.load_skinned_mesh()
    names = set(mesh.joint_names)
    expected = {
        "spine",
        "spine.001",
        "spine.002",
        "spine.003",
        "spine.004",
        "spine.005",
        "pelvis.L",
        "pelvis.R",
        "thigh.L",
        "thigh.R",
        "shin.L",
        "shin.R",
        "foot.L",
        "foot.R",
        "upper_arm.L",
        "upper_arm.R",
        "forearm.L",
        "hand.R",
    }
    assert expected <= names
    assert len(mesh.joint_names) == 56
    assert mesh.parents[mesh.index("spine")] == -1
    assert mesh.parents[mesh.index("thigh.L")] == mesh.index("spine")
    assert mesh.positions.shape == (1226, 3) and mesh.faces.shape == (1804, 3)
    np.testing.assert_allclose(mesh.weights.sum(axis=1), 1.0, atol=1e-6)


def test_missing_model_file_is_reported_by_name(tmp_path):
    with pytest.raises(gltf.ModelMissing, match="male_base_mesh.glb"):
        gltf.load_skinned_mesh(tmp_path / "male_base_mesh.glb")


def test_identity_pose_reproduces_the_bind_mesh(figure):
    from benchmarks.synth.skeleton import forward_kinematics, skin, skinning_matrices

    rig = figure.rig
    bones = forward_kinematics(rig)
    np.testing.assert_allclose(bones @ rig.inverse_bind, np.broadcast_to(np.eye(4), bones.shape), atol=1e-5)
    np.testing.assert_allclose(skin(rig, skinning_matrices(rig, bones)), rig.positions, atol=1e-5)


def test_rest_mesh_faces_plus_x_with_left_at_minus_z(figure):
    rig = figure.rig
    assert rig.head("thigh.L")[2] < 0 < rig.head("thigh.R")[2]
    toe, heel = figure.points["toe_L"], figure.points["heel_L"]
    assert toe.at(figure.faces, figure.bind)[0, 0] > heel.at(figure.faces, figure.bind)[0, 0]


# --- posing and truth -------------------------------------------------------------------


def _posed(figure, **kwargs):
    from benchmarks.synth.posing import Posture, model_height, pose_body

    # The model's own height: no scaling, so rest-frame lengths can be compared directly.
    return pose_body(figure.rig, Posture(**kwargs), height_m=model_height(figure.rig))


def _truth(figure, body, facing="right"):
    from benchmarks.synth.camera import orbit_camera
    from benchmarks.synth.truth import compute_truth

    camera = orbit_camera([0.0, 1.0, 0.0], facing=facing, **SMALL)
    return compute_truth(figure, body, figure.surface(body.vertices), camera, facing)


def test_rigid_tilt_of_10_degrees_turns_the_pelvis_10_degrees_about_the_hip_axis(figure):
    rig = figure.rig
    body = _posed(figure, tilt_deg=10.0, tilt_mode="rigid")
    truth = _truth(figure, body)
    assert truth["pelvis_tilt_change_deg"] == pytest.approx(10.0, abs=1e-6)
    assert truth["pelvic_tilt_deg"] - truth["neutral"]["pelvic_tilt_deg"] == pytest.approx(10.0)
    assert truth["lumbar_chain_deg"] == pytest.approx(truth["neutral"]["lumbar_chain_deg"])

    # By hand: the head of spine.001 sits (dx, dy) from the hip-centre midpoint at rest; an
    # anterior tilt of 10 degrees turns it by -10 degrees about +z (top goes forward).
    hip_rest = 0.5 * (rig.head("thigh.L") + rig.head("thigh.R"))
    dx, dy = (rig.head("spine.001") - hip_rest)[:2]
    c, s = np.cos(np.radians(10.0)), np.sin(np.radians(10.0))
    hip = 0.5 * (body.head("thigh.L") + body.head("thigh.R"))
    moved = body.head("spine.001") - hip
    np.testing.assert_allclose(moved[:2], [c * dx + s * dy, -s * dx + c * dy], atol=1e-6)
    assert moved[0] > dx  # the top of the pelvis went forward
    # The legs did not move: thighs keep their rest direction, the feet stay put.
    for side in "LR":
        axis = _bone_y_axis(body.bones, rig, f"thigh.{side}")
        assert _angle_deg(axis, _bone_y_axis(rig.rest_global, rig, f"thigh.{side}")) < 1e-3
    assert truth["trunk_lean_deg"] > _truth(figure, _posed(figure))["trunk_lean_deg"] + 5


@pytest.mark.parametrize("tilt", [-15.0, 20.0])
def test_compensated_tilt_keeps_thighs_and_upper_trunk_within_1_degree(figure, tilt):
    rig = figure.rig
    body = _posed(figure, tilt_deg=tilt, tilt_mode="compensated")
    for bone in ("thigh.L", "thigh.R", "spine.002", "spine.003", "spine.004"):
        moved = _angle_deg(_bone_y_axis(body.bones, rig, bone), _bone_y_axis(rig.rest_global, rig, bone))
        assert moved < 1.0, bone
    truth = _truth(figure, body)
    neutral = truth["neutral"]
    assert truth["pelvis_tilt_change_deg"] == pytest.approx(tilt)
    assert truth["pelvic_tilt_deg"] == pytest.approx(neutral["pelvic_tilt_deg"] + tilt)
    # The lumbar joints took the counter-rotation: the lordosis changes with the tilt.
    assert truth["lumbar_chain_deg"] == pytest.approx(neutral["lumbar_chain_deg"] + tilt)
    flexi_change = truth["lumbar_flexicurve_deg"] - neutral["lumbar_flexicurve_deg"]
    assert np.sign(flexi_change) == np.sign(tilt) and abs(flexi_change) > 5


def test_skin_pelvic_tilt_follows_most_of_the_bone_tilt(figure):
    truth = _truth(figure, _posed(figure, tilt_deg=20.0))
    change = truth["pelvic_tilt_skin_deg"] - truth["neutral"]["pelvic_tilt_deg"]
    assert 0.7 * 20 < change <= 20.5


def test_lumbar_extra_adds_lordosis_and_keeps_the_upper_trunk(figure):
    rig = figure.rig
    body = _posed(figure, lumbar_deg=8.0)
    truth = _truth(figure, body)
    assert truth["pelvis_tilt_change_deg"] == pytest.approx(0.0, abs=1e-9)
    assert truth["lumbar_chain_deg"] == pytest.approx(truth["neutral"]["lumbar_chain_deg"] + 8)
    assert (
        _angle_deg(
            _bone_y_axis(body.bones, rig, "spine.003"), _bone_y_axis(rig.rest_global, rig, "spine.003")
        )
        < 1e-3
    )


def test_arms_hang_down_not_in_the_rest_a_pose(figure):
    body = _posed(figure)
    for side in "LR":
        arm = body.head(f"forearm.{side}") - body.head(f"upper_arm.{side}")
        assert np.degrees(np.arccos(-arm[1] / np.linalg.norm(arm))) < 16  # 8 deg abduction
        assert body.head(f"hand.{side}")[1] < body.head("thigh.L")[1] + 0.05


def test_height_scales_the_figure_with_soles_on_the_floor(figure):
    from benchmarks.synth.posing import Posture, pose_body

    body = pose_body(figure.rig, Posture(), height_m=1.6)
    surface = figure.surface(body.vertices)
    assert surface[:, 1].min() == pytest.approx(0.0, abs=0.01)
    assert np.ptp(surface[:, 1]) == pytest.approx(1.6, abs=0.02)


@pytest.mark.parametrize(
    "posture, keywords, refused",
    [
        ({"sway_deg": 3.0}, {}, "sway_deg"),
        ({"arms": "crossed"}, {}, "arms=crossed"),
        ({}, {"height_m": 2.5}, "height_m"),
        ({}, {"girth": 0.5}, "girth"),
    ],
)
def test_the_mesh_refuses_what_it_cannot_pose(figure, posture, keywords, refused):
    """The posture is the anny bodies' too; the mesh poses only part of it and says so."""
    from benchmarks.synth.posing import Posture, pose_body

    with pytest.raises(ValueError, match=refused):
        pose_body(figure.rig, Posture(**posture), **keywords)


@pytest.mark.parametrize(
    "front, back, expected",
    [
        ((0.1, 0.0), (-0.1, 0.2 * np.tan(np.radians(10.0))), 10.0),  # ASIS lower: anterior
        ((0.1, 0.05), (-0.1, 0.05), 0.0),
        ((0.1, 0.1), (-0.1, 0.1 - 0.2 * np.tan(np.radians(7.0))), -7.0),
    ],
)
def test_line_tilt_by_hand(front, back, expected):
    from benchmarks.synth.truth import line_tilt_deg

    assert line_tilt_deg(front, back) == pytest.approx(expected)


@pytest.mark.parametrize("central_angle", [40.0, -25.0])
def test_flexicurve_of_a_circular_arc_is_its_central_angle(central_angle):
    # For a circular arc, 4 arctan(2H/L) is exactly the arc's central angle.
    from benchmarks.synth.truth import flexicurve_deg

    half = np.radians(abs(central_angle)) / 2
    t = np.linspace(-half, half, 31)
    radius = 0.3
    forward = radius * (np.cos(t) - np.cos(half))  # hollow in front of the chord
    profile = np.stack([forward if central_angle > 0 else -forward, radius * np.sin(t)], 1)
    assert flexicurve_deg(profile) == pytest.approx(central_angle, abs=1e-9)


# --- rendering --------------------------------------------------------------------------


def _render(**kwargs):
    from benchmarks.synth.generate import SceneParams, render_scene

    _need_mesh()
    return render_scene(SceneParams(**{**SMALL, **kwargs}))


@pytest.mark.parametrize("yaw", [0.0, 10.0])
def test_facing_left_is_the_mirror_of_facing_right(yaw):
    right, truth_r = _render(facing="right", yaw_deg=yaw, jpeg_quality=None)
    left, truth_l = _render(facing="left", yaw_deg=yaw, jpeg_quality=None)
    diff = np.abs(left.astype(int) - right[:, ::-1].astype(int))
    assert diff.mean() < 0.5 and np.percentile(diff, 99) <= 3
    width = SMALL["width"]
    for name in ("hip", "knee", "ankle", "shoulder", "ear"):
        xl, yl = truth_l["landmarks"][f"left_{name}"]["px"]
        xr, yr = truth_r["landmarks"][f"right_{name}"]["px"]
        assert xl == pytest.approx(width - xr, abs=0.02) and yl == pytest.approx(yr, abs=0.02)
    for key in ("pelvic_tilt_deg", "pelvic_tilt_image_deg", "lumbar_flexicurve_deg"):
        assert truth_l[key] == pytest.approx(truth_r[key], abs=1e-6)


def test_facing_right_puts_the_front_of_the_body_to_the_right():
    _, truth = _render(facing="right")
    marks = truth["landmarks"]
    assert marks["nose"]["px"][0] > marks["right_ear"]["px"][0]
    assert marks["right_foot_index"]["px"][0] > marks["right_heel"]["px"][0]
    assert truth["landmarks"]["right_hip"]["depth_m"] < truth["landmarks"]["left_hip"]["depth_m"]


def test_the_same_seed_gives_identical_images_and_params():
    from benchmarks.synth.generate import render_scene, sample_params

    _need_mesh()
    first = sample_params(np.random.default_rng(7), **SMALL)
    again = sample_params(np.random.default_rng(7), **SMALL)
    assert first == again
    image_a, truth_a = render_scene(first)
    image_b, truth_b = render_scene(again)
    assert np.array_equal(image_a, image_b) and truth_a == truth_b
    other = sample_params(np.random.default_rng(8), **SMALL)
    assert not np.array_equal(render_scene(other)[0], image_a)


def test_sample_params_keeps_values_within_ranges_and_fixed_values():
    from benchmarks.synth.generate import sample_params

    rng = np.random.default_rng(3)
    for _ in range(20):
        params = sample_params(rng, pelvis_tilt_deg=(-15.0, 20.0), facing="left", girth=1.1, **SMALL)
        assert -15.0 <= params.pelvis_tilt_deg <= 20.0
        assert params.facing == "left" and params.girth == 1.1
        assert -15.0 <= params.yaw_deg <= 15.0 and abs(params.pitch_deg) <= 5.0
    with pytest.raises(TypeError, match="tilt_degrees"):
        sample_params(rng, tilt_degrees=(0, 1))


def test_written_sample_has_image_and_complete_truth_json(tmp_path):
    import cv2

    from benchmarks.synth.generate import SceneParams, write_sample

    _need_mesh()
    params = SceneParams(pelvis_tilt_deg=5.0, noise_sigma=2.0, blur_sigma=0.5, **SMALL)
    write_sample(params, tmp_path, "0000", masks=True)
    image = cv2.imread(str(tmp_path / "0000.jpg"))
    assert image.shape == (SMALL["height"], SMALL["width"], 3)
    assert cv2.imread(str(tmp_path / "0000_mask.png"), cv2.IMREAD_GRAYSCALE).max() == 255
    record = json.loads((tmp_path / "0000.json").read_text())
    assert SceneParams.from_json(record["params"]) == params
    truth = record["truth"]
    for key in (
        "pelvis_tilt_change_deg",
        "pelvic_tilt_deg",
        "pelvic_tilt_skin_deg",
        "pelvic_tilt_image_deg",
        "lumbar_chain_deg",
        "lumbar_flexicurve_deg",
        "trunk_lean_deg",
        "neutral",
        "facing",
        "near_side",
        "landmarks",
        "silhouette_bbox_px",
        "silhouette_area_px",
    ):
        assert key in truth, key
    assert truth["pelvis_tilt_change_deg"] == pytest.approx(5.0)
    for side in ("left", "right"):
        for name in (
            "hip",
            "knee",
            "ankle",
            "shoulder",
            "elbow",
            "wrist",
            "ear",
            "heel",
            "foot_index",
            "asis_skin",
            "psis_skin",
        ):
            mark = truth["landmarks"][f"{side}_{name}"]
            assert len(mark["px"]) == 2 and len(mark["xyz"]) == 3 and mark["depth_m"] > 0
    for name in ("nose", "mid_asis", "mid_psis", "s2_skin", "t12_skin"):
        assert name in truth["landmarks"]
    x0, y0, x1, y1 = truth["silhouette_bbox_px"]
    assert 0 <= x0 < x1 <= SMALL["width"] and 0 <= y0 < y1 <= SMALL["height"]


def test_figure_stands_inside_the_picture_with_landmarks_on_the_silhouette():
    from benchmarks.synth.generate import SceneParams, render_scene_full

    _need_mesh()
    _, _, mask, truth = render_scene_full(SceneParams(**SMALL))
    for name in ("right_hip", "right_knee", "right_ankle", "right_shoulder", "right_ear"):
        x, y = truth["landmarks"][name]["px"]
        assert mask[int(y), int(x)], name
    x0, y0, x1, y1 = truth["silhouette_bbox_px"]
    assert 0.55 < (y1 - y0) / SMALL["height"] < 0.95


@pytest.mark.skipif(not MODEL.is_file(), reason="models/pose_landmarker_full.task is absent")
def test_mediapipe_finds_one_person_with_visible_near_side_joints():
    mp = pytest.importorskip("mediapipe")
    from mediapipe.tasks.python import BaseOptions, vision

    rgb, truth = _render(width=270, height=480, pelvis_tilt_deg=10.0, yaw_deg=5.0)
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(MODEL)),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=2,
    )
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        result = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)))
    assert len(result.pose_landmarks) == 1
    marks = result.pose_landmarks[0]
    # MediaPipe order: right hip 24, right knee 26, right ankle 28 (the near side here).
    for index, name in ((24, "right_hip"), (26, "right_knee"), (28, "right_ankle")):
        assert marks[index].visibility > 0.5, name
        x, y = truth["landmarks"][name]["px"]
        assert np.hypot(marks[index].x * 270 - x, marks[index].y * 480 - y) < 0.06 * 480, name


# --- video ------------------------------------------------------------------------------


def test_y4m_file_has_the_header_and_one_420_frame_per_image(tmp_path):
    from benchmarks.synth.video import write_y4m

    frames = [np.full((16, 32, 3), value, np.uint8) for value in (0, 128, 255)]
    path = tmp_path / "clip.y4m"
    assert write_y4m(path, frames, fps=15) == 3
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n")
    assert header == b"YUV4MPEG2 W32 H16 F15:1 Ip A1:1 C420jpeg"
    frame = len(b"FRAME\n") + 32 * 16 * 3 // 2
    assert len(rest) == 3 * frame and rest[:6] == b"FRAME\n"


def test_tilt_clip_records_the_tilt_of_each_frame(tmp_path):
    from benchmarks.synth.video import clip_params, write_tilt_clip

    _need_mesh()
    records = write_tilt_clip(
        tmp_path / "clip.y4m",
        seconds=0.2,
        fps=10,
        amplitude_deg=12.0,
        period_s=4.0,
        params=clip_params(width=96, height=72),
    )
    assert [r["frame"] for r in records] == [0, 1]
    assert records[0]["pelvis_tilt_change_deg"] == pytest.approx(0.0, abs=1e-6)
    assert records[1]["pelvis_tilt_change_deg"] == pytest.approx(
        12.0 * np.sin(2 * np.pi * 0.1 / 4.0), abs=1e-3
    )
    saved = json.loads((tmp_path / "clip.json").read_text())
    assert saved["fps"] == 10 and len(saved["frames"]) == 2
