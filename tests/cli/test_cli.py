"""The `posture analyze` command's contract, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REQUIRED_KEYS = {
    "file",
    "status",
    "reason",
    "message",
    "facing",
    "pelvic_tilt",
    "lumbar_lordosis",
    "measures",
    "model",
    "version",
}


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "posture.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_json_lines_for_a_batch_with_a_bad_file(tmp_path, side_view_path, samples_dir):
    junk = tmp_path / "notes.jpg"
    junk.write_text("not an image")
    front = samples_dir / "pranjal_postureanalysis" / "front.png"
    done = run(
        "analyze", str(side_view_path), str(junk), str(front), "--json", "--overlay", str(tmp_path / "out")
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records] == ["ok", "rejected", "rejected"]
    assert [r["reason"] for r in records] == [None, "unreadable_image", "not_side_view"]
    for record in records:
        assert REQUIRED_KEYS <= record.keys()
    ok = records[0]
    assert ok["facing"] == "right"
    assert set(ok["pelvic_tilt"]) == {"degrees", "class", "confidence", "method", "estimate_degrees"}
    # No stickers on this photo: the tilt is the markerless estimate, and says so.
    assert ok["pelvic_tilt"]["method"] == "estimate"
    assert ok["pelvic_tilt"]["estimate_degrees"] == ok["pelvic_tilt"]["degrees"]
    assert ok["markers"] is None and ok["markers_reason"] == "no_markers"
    assert ok["pelvic_tilt"]["class"] in {"anterior", "neutral", "posterior"}
    assert isinstance(ok["lumbar_lordosis"]["degrees"], float)
    assert ok["measures"]["pelvic_tilt"] == ok["pelvic_tilt"]["degrees"]
    assert Path(ok["overlay"]).is_file()
    assert records[1]["overlay"] is None


def test_text_output_names_the_class_and_the_reason(side_view_path, tmp_path):
    junk = tmp_path / "empty.png"
    junk.write_bytes(b"")
    done = run("analyze", str(side_view_path), str(junk))
    assert done.returncode == 0
    first, second = done.stdout.splitlines()
    assert "pelvic tilt" in first and "facing right" in first
    assert "could not measure (unreadable_image)" in second


def test_usage_errors_exit_non_zero():
    assert run("analyze").returncode == 2
    assert run("analyze", "x.jpg", "--model", "huge").returncode == 2
    assert run("frobnicate").returncode == 2


def test_missing_model_names_the_command_to_run(tmp_path, side_view_path):
    done = run("analyze", str(side_view_path), env={"POSTURE_MODELS_DIR": str(tmp_path)})
    assert done.returncode == 3
    assert "python models/provide.py" in done.stderr
    assert "Traceback" not in done.stderr
