"""`make bench-estimator` (benchmarks.fit.bench), its data folder, and the real clip's figures.

Nothing here needs anny, a pose model or the clip: the generators, the pose cache and the report
are replaced by recorders where a step would run them.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from benchmarks import data_folder
from benchmarks.fit import bench, clip, dataset

# --- the real clip's steadiness figures ---------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "sd", "jitter", "pairs"),
    [
        ([0.0, 1.0, 2.0, 3.0], math.sqrt(5 / 3), 0.0, 3),  # steady drift: SD 1.29°, no jitter
        ([0.0, 0.0, 2.0, 2.0], math.sqrt(4 / 3), math.sqrt(2 / 3), 3),  # one 2° step: diffs 0, 2, 0
        ([0.0, 1.0, None, 10.0, 11.0, 12.0], math.sqrt(33.7), 0.0, 3),  # no pair across the gap
    ],
)
def test_steadiness_on_sequences_checkable_by_hand(values, sd, jitter, pairs):
    found = clip.steadiness(values)
    assert found["frames"] == len(values)
    assert found["with_value"] == sum(v is not None for v in values)
    assert found["pairs"] == pairs
    assert found["sd"] == pytest.approx(sd)
    assert found["jitter"] == pytest.approx(jitter, abs=1e-12)


def test_steadiness_of_alternating_readings():
    # 5, 7, 5, 7, 5: differences +2, -2, +2, -2 (mean 0, sample SD √(16/3)), jitter √(8/3) = 1.63°
    found = clip.steadiness([5.0, 7.0, 5.0, 7.0, 5.0])
    assert found["jitter"] == pytest.approx(math.sqrt(8 / 3))
    assert found["sd"] == pytest.approx(math.sqrt(1.2))  # mean 5.8: (3 × 0.64 + 2 × 1.44) / 4
    assert found["range"] == 2.0
    assert found["median_step"] == 2.0


@pytest.mark.parametrize("values", [[], [None, None], [3.0], [3.0, None, 4.0]])
def test_steadiness_without_two_values_or_two_pairs_is_none_not_nan(values):
    found = clip.steadiness(values)
    assert found["jitter"] is None
    if sum(v is not None for v in values) < 2:
        assert found["sd"] is None


def test_clip_boxes_lie_inside_the_frame_and_cover_each_span():
    for span in clip.SPANS:
        assert span.boxes[0][0] <= span.start_s < span.end_s
        for _start, (left, top, right, bottom) in span.boxes:
            assert 0 <= left < right <= 1768 and 0 <= top < bottom <= 994
            assert right - left >= 400 and bottom - top >= 400


def test_report_section_says_why_when_the_clip_cannot_be_had():
    md = "\n".join(clip.section_markdown({"unavailable": "pip could not download sports2d"}))
    assert "Real clip" in md and "Not measured here: pip could not download sports2d" in md


def test_report_section_table_has_one_row_per_span():
    stats = clip.steadiness([10.0, 10.5, 11.0])
    row = {"start_s": 0.0, "end_s": 1.0, "tilt": stats, "lumbar": stats, "no_tilt": {"not_side_view": 2}}
    results = {"clip": "demo", "step": 1, "spans": [{"span": "a", **row}, {"span": "b", **row}]}
    rows = [
        line
        for line in clip.section_markdown(results)
        if line.startswith("| a |") or line.startswith("| b |")
    ]
    assert len(rows) == 2
    assert "| 3 | 3 | 2 | 0.50° | 0.00° | 0.50° |" in rows[0] and "not_side_view 2" in rows[0]


# --- the benchmark data folder ------------------------------------------------------------------


def test_data_folder_is_the_environment_variable_when_set(tmp_path):
    assert data_folder.root({data_folder.ENV: str(tmp_path)}) == tmp_path
    assert data_folder.cache_root({data_folder.ENV: str(tmp_path)}) == tmp_path / "cache"


@pytest.mark.parametrize("environ", [{}, {data_folder.ENV: ""}, {data_folder.ENV: "  "}])
def test_data_folder_defaults_to_benchmarks_data_in_the_checkout(environ):
    assert data_folder.root(environ) == data_folder.DEFAULT
    assert data_folder.DEFAULT.parts[-2:] == ("benchmarks", "data")


def test_pose_cache_follows_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(data_folder.ENV, str(tmp_path))
    assert dataset.cache_dir(tmp_path / "bodies-s909") == tmp_path / "cache" / "bodies-s909"
    assert dataset.cache_dir(tmp_path / "mesh-2026" / "index.jsonl") == tmp_path / "cache" / "mesh-2026"


# --- what a second run skips --------------------------------------------------------------------


def test_a_set_is_complete_once_its_generator_finished_with_the_same_settings(tmp_path):
    command = bench.held_out_command(tmp_path, bodies=2, per_body=8, session_size=4, workers=2)
    assert command[:4] == ["benchmarks.bodies.generate", "--seed", "909", "--bodies"]
    assert not bench.is_complete(tmp_path, command, 16)
    (tmp_path / bench.STAMP).write_text(json.dumps(bench._settings(command)))
    assert bench.is_complete(tmp_path, command, 16)
    one_worker = bench.held_out_command(tmp_path, bodies=2, per_body=8, session_size=4, workers=1)
    assert bench.is_complete(tmp_path, one_worker, 16)  # same seed, same bytes with any workers
    more = bench.held_out_command(tmp_path, bodies=3, per_body=8, session_size=4, workers=2)
    assert not bench.is_complete(tmp_path, more, 24)


def test_a_set_made_before_stamps_counts_as_complete_when_its_index_is_full(tmp_path):
    command = bench.mesh_command(tmp_path, workers=2)
    (tmp_path / "index.jsonl").write_text('{"image": "a.jpg"}\n' * 191)
    assert not bench.is_complete(tmp_path, command, 192)
    (tmp_path / "index.jsonl").write_text('{"image": "a.jpg"}\n' * 192)
    assert bench.is_complete(tmp_path, command, 192)


def test_a_set_from_an_older_body_generator_is_made_again(tmp_path):
    command = bench.held_out_command(tmp_path, bodies=1, per_body=1, session_size=0, workers=1)
    (tmp_path / "index.jsonl").write_text('{"image": "b_00.jpg", "json": "b_00.json"}\n')
    (tmp_path / "b_00.json").write_text('{"generator": {"version": 2}}')
    (tmp_path / bench.STAMP).write_text(json.dumps(bench._settings(command)))
    assert bench.is_complete(tmp_path, command, 1, version=2)
    assert not bench.is_complete(tmp_path, command, 1, version=3)


# --- without anny ------------------------------------------------------------------------------


@pytest.fixture
def recorded(monkeypatch, tmp_path):
    """bench.main with every heavy step replaced by a recorder."""
    from benchmarks.fit import cache, report

    calls = {"made": [], "cached": [], "report": None}
    monkeypatch.setattr(
        bench, "make_set", lambda out, command, n, version=None: calls["made"].append(command[0]) or "made"
    )
    monkeypatch.setattr(cache, "run", lambda records, folder, into, workers=1: calls["cached"].append(folder))
    monkeypatch.setattr(dataset, "read_records", lambda folder: [])
    monkeypatch.setattr(report, "main", lambda argv: calls.__setitem__("report", argv) or 0)
    monkeypatch.setenv(data_folder.ENV, str(tmp_path))
    return calls


def test_without_anny_the_held_out_bodies_are_skipped_with_the_reason(recorded, monkeypatch, capsys):
    monkeypatch.setattr(bench, "anny_missing", lambda: "anny is not installed; run `make bench-setup`")
    monkeypatch.setattr(bench, "mesh_missing", lambda: None)
    assert bench.main(["--no-photos"]) == 0
    assert "held-out bodies skipped: anny is not installed; run `make bench-setup`" in capsys.readouterr().out
    assert recorded["made"] == ["benchmarks.fit.mesh_data"]
    assert "--held-out" not in recorded["report"]
    assert recorded["report"][:1] == ["--cross"] and recorded["report"][-1] == "--no-photos"


def test_a_complete_held_out_set_is_reported_even_without_anny(recorded, monkeypatch, tmp_path):
    from benchmarks.bodies.generate import GENERATOR_VERSION

    monkeypatch.setattr(bench, "anny_missing", lambda: "anny is not installed")
    monkeypatch.setattr(bench, "mesh_missing", lambda: None)
    bodies = tmp_path / "bodies-s909"
    bodies.mkdir()
    (bodies / "index.jsonl").write_text('{"image": "b_00.jpg", "json": "b_00.json"}\n')
    (bodies / "b_00.json").write_text(json.dumps({"generator": {"version": GENERATOR_VERSION}}))
    command = bench.held_out_command(
        bodies, bodies=bench.HELD_OUT_BODIES, per_body=8, session_size=4, workers=2
    )
    (bodies / bench.STAMP).write_text(json.dumps(bench._settings(command)))
    assert bench.main([]) == 0
    assert bench.is_complete(
        bodies, command, bench.HELD_OUT_BODIES * 8, GENERATOR_VERSION
    )  # so make_set would not run it
    assert recorded["report"][:2] == ["--held-out", str(bodies)]


def test_without_the_shared_mesh_the_single_mesh_set_is_skipped_with_the_reason(
    recorded, monkeypatch, capsys
):
    monkeypatch.setattr(bench, "anny_missing", lambda: None)
    monkeypatch.setattr(bench, "mesh_missing", lambda: "the base mesh x.glb is missing")
    assert bench.main(["--no-photos"]) == 0
    assert "single-mesh set skipped: the base mesh x.glb is missing" in capsys.readouterr().out
    assert recorded["made"] == ["benchmarks.bodies.generate"]
    assert "--cross" not in recorded["report"]


def test_with_anny_the_held_out_set_is_reported_as_all_test(recorded, monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "anny_missing", lambda: None)
    monkeypatch.setattr(bench, "mesh_missing", lambda: None)
    assert bench.main([]) == 0
    assert recorded["made"] == ["benchmarks.bodies.generate", "benchmarks.fit.mesh_data"]
    assert recorded["report"] == [
        "--held-out",
        str(tmp_path / "bodies-s909"),
        "--cross",
        str(tmp_path / "mesh-2026"),
    ]


# --- the clip pipeline on a real picture held still ---------------------------------------------


def test_a_real_side_view_held_still_for_three_frames_reads_the_same_every_frame(
    estimator, samples_dir, tmp_path
):
    cv2 = pytest.importorskip("cv2")
    picture = cv2.imread(str(samples_dir / "pranjal_postureanalysis" / "left.png"))[:436, :290]
    video = tmp_path / "still.avi"  # FFV1 is lossless: every frame decodes to the same pixels
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"FFV1"), 30.0, (290, 436))
    for _ in range(3):
        writer.write(picture)
    writer.release()
    span = clip.Span("still", "one photo, three frames", 0.0, 1.0, ((0.0, (0, 0, 290, 436)),))
    (row,) = clip.measure(video, [span], estimator=estimator)
    assert [r["frame"] for r in row["readings"]] == [0, 1, 2]
    assert row["tilt"]["with_value"] == 3, row["no_tilt"]
    assert row["tilt"]["sd"] == 0.0 and row["tilt"]["jitter"] == 0.0
    assert row["lumbar"]["jitter"] == 0.0
    photo = clip.read_frame(np.ascontiguousarray(picture[:, :, ::-1]), estimator)  # RGB, as a photo
    assert row["readings"][0]["tilt"] == photo["tilt"]


def test_real_photos_are_skipped_cleanly_without_shared_samples(tmp_path, monkeypatch):
    from benchmarks.fit import stability

    monkeypatch.setattr(stability, "SAMPLES", tmp_path / "no-such-folder")
    assert stability.photos() == {}
    summary = stability.summarise([])
    assert summary["mirror tilt"] == {"pairs": 0, "median_abs": None, "max_abs": None}


def test_report_section_names_the_lowest_jitter_against_the_target():
    def row(name, values):
        stats = clip.steadiness(values)
        return {"span": name, "start_s": 0.0, "end_s": 1.0, "tilt": stats, "lumbar": stats, "no_tilt": {}}

    spans = [row("walking", [0.0, 3.0, 0.0, 3.0]), row("side-on", [0.0, 1.0, 0.0, 1.0])]
    md = "\n".join(clip.section_markdown({"clip": "demo", "step": 1, "spans": spans}))
    # differences ±1 (sample SD √(4/3)): jitter √(2/3) = 0.82°; ±3: 2.45°
    assert "The lowest tilt jitter, 0.82° (side-on), is within the 1.5° target." in md
