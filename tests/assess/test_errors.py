"""The error figures file (posture.assess.errors): shipped, versioned, refused when wrong."""

from __future__ import annotations

import json

import pytest

from posture.assess.errors import SHIPPED, ErrorFigures, ErrorFiguresError


def test_the_shipped_figures_name_their_model_and_version():
    figures = ErrorFigures.load()
    assert figures.version == 1
    assert figures.model == "pose_landmarker_full.task"
    assert figures.tilt_absolute_sd > 0 and figures.tilt_change_sd > 0


def test_the_figures_are_the_ones_stored_with_the_estimator():
    model = json.loads(SHIPPED.read_text())
    figures = ErrorFigures.load()
    assert model["format"] == "posture-estimator"
    assert figures.tilt_change_sd == model["errors"]["tilt_change_sd"]
    assert figures.class_sd == model["class_sd"]


def write(tmp_path, **changes):
    raw = json.loads(SHIPPED.read_text())["errors"]
    raw.update(changes)
    raw = {k: v for k, v in raw.items() if v is not None}
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(raw))
    return path


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"version": 2}, "version 2"),
        ({"tilt_absolute_sd": None}, "lack tilt_absolute_sd"),
        ({"tilt_change_sd": 0}, "tilt_change_sd must be a positive number"),
        ({"lumbar_change_sd": "six"}, "lumbar_change_sd must be a positive number"),
    ],
)
def test_a_bad_file_is_refused_naming_the_problem(tmp_path, changes, problem):
    with pytest.raises(ErrorFiguresError, match=problem):
        ErrorFigures.load(write(tmp_path, **changes))


def test_a_missing_file_is_an_error_not_a_default(tmp_path):
    with pytest.raises(ErrorFiguresError, match="cannot read"):
        ErrorFigures.load(tmp_path / "absent.json")


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "figures.json"
    path.write_text("{not json")
    with pytest.raises(ErrorFiguresError, match="not valid JSON"):
        ErrorFigures.load(path)
