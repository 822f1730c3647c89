"""The personal tilt range: the percent mapping, validation, the file, profiles, the guided test."""

from __future__ import annotations

import json
import re
from datetime import date

import numpy as np
import pytest

from posture.live.personal_range import (
    MAX_FILE_BYTES,
    PersonalRange,
    RangeError,
    RangeFileError,
    list_profiles,
    load_profile,
    range_problem,
    save_profile,
)
from posture.live.range_test import RangeTest

DAY = date(2025, 3, 14)


@pytest.fixture
def simple() -> PersonalRange:
    return PersonalRange(neutral_deg=10.0, max_anterior_deg=20.0, max_posterior_deg=0.0, recorded_on=DAY)


@pytest.mark.parametrize(
    "tilt, percent",
    [(0.0, 0.0), (20.0, 100.0), (10.0, 50.0), (5.0, 25.0), (15.0, 75.0), (-5.0, 0.0), (30.0, 100.0)],
)
def test_position_percent(simple, tilt, percent):
    assert simple.position_percent(tilt) == pytest.approx(percent)


def test_position_percent_unclipped(simple):
    assert simple.position_percent(-5.0, clip=False) == pytest.approx(-25.0)
    assert simple.position_percent(25.0, clip=False) == pytest.approx(125.0)


def test_neutral_percent_of_the_textbook_range():
    """Levine & Whittle: +11° forward and -9° back from relaxed standing: relaxed sits at 45 %."""
    textbook = PersonalRange(0.0, 11.0, -9.0)
    assert textbook.neutral_percent == pytest.approx(45.0)
    assert textbook.span_deg == pytest.approx(20.0)


@pytest.mark.parametrize(
    "tilt, words",
    [
        (10.5, "at your relaxed stance"),
        (16.0, "forward of your relaxed stance"),
        (4.0, "behind your relaxed stance"),
        (25.0, "at or beyond your maximal forward tilt"),
        (-3.0, "at or beyond your maximal backward tilt"),
    ],
)
def test_describe(simple, tilt, words):
    assert simple.describe(tilt) == words


@pytest.mark.parametrize(
    "neutral, anterior, posterior, words",
    [
        (10.0, 11.0, 0.0, "Tipping forward"),  # anterior not 2° above neutral
        (10.0, 8.0, 0.0, "Tipping forward"),  # anterior below neutral
        (10.0, 20.0, 9.0, "Tucking under"),  # posterior not 2° below neutral
        (0.0, 2.5, -2.5, "whole range"),  # 5° in all: under 6°
        (float("nan"), 20.0, 0.0, "finite"),
        (10.0, 80.0, 0.0, "finite"),
    ],
)
def test_unusable_ranges_say_what_to_do(neutral, anterior, posterior, words):
    problem = range_problem(neutral, anterior, posterior)
    assert problem is not None and words in problem
    with pytest.raises(RangeError, match=words):
        PersonalRange(neutral, anterior, posterior)


@pytest.mark.parametrize(
    "neutral, anterior, posterior", [(10.0, 20.0, 0.0), (0.0, 3.0, -3.0), (-5.0, 5.0, -20.0)]
)
def test_usable_ranges_do_not_raise(neutral, anterior, posterior):
    assert range_problem(neutral, anterior, posterior) is None
    PersonalRange(neutral, anterior, posterior)


def test_file_holds_the_three_numbers_and_the_date_only(simple):
    data = json.loads(simple.to_json())
    assert data == {
        "schema": "posture.personal_range",
        "schema_version": 1,
        "neutral_deg": 10.0,
        "max_anterior_deg": 20.0,
        "max_posterior_deg": 0.0,
        "recorded_on": "2025-03-14",
    }


def test_file_round_trip(simple):
    assert PersonalRange.from_json(simple.to_json()) == simple
    assert PersonalRange.from_json(simple.to_json().encode()) == simple


def _file(**changes) -> str:
    data = {
        "schema": "posture.personal_range",
        "schema_version": 1,
        "neutral_deg": 10.0,
        "max_anterior_deg": 20.0,
        "max_posterior_deg": 0.0,
        "recorded_on": "2025-03-14",
    }
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not ...})


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        ("[1, 2]", "schema"),
        (_file(schema="something.else"), "schema"),
        (_file(schema_version=2), "version 2"),
        (_file(neutral_deg=...), "incomplete"),
        (_file(neutral_deg="ten"), "incomplete"),
        (_file(recorded_on="yesterday"), "incomplete"),
        ("{" + " " * MAX_FILE_BYTES + "}", "bytes"),
    ],
)
def test_bad_files_are_refused_with_a_reason(text, words):
    with pytest.raises(RangeFileError, match=words):
        PersonalRange.from_json(text)


def test_a_file_with_an_unusable_range_is_refused():
    with pytest.raises(RangeError):
        PersonalRange.from_json(_file(max_anterior_deg=10.5))


def test_profiles_round_trip(tmp_path, simple):
    assert list_profiles(directory=tmp_path / "none") == []
    path = save_profile(simple, "alex_1", directory=tmp_path)
    assert path.name == "alex_1.json"
    assert list_profiles(directory=tmp_path) == ["alex_1"]
    assert load_profile("alex_1", directory=tmp_path) == simple
    with pytest.raises(RangeFileError, match="no profile"):
        load_profile("bob", directory=tmp_path)


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "x" * 41, "with space"])
def test_profile_names_are_plain(tmp_path, simple, name):
    with pytest.raises(ValueError):
        save_profile(simple, name, directory=tmp_path)


# --- the guided test ------------------------------------------------------------------------


def _run(test: RangeTest, tilts_by_second, *, fps: int = 10, seconds: float = 20.0, start: float = 100.0):
    """Feed ``test`` samples at ``fps`` for ``seconds``; ``tilts_by_second(t)`` gives each tilt."""
    rng = np.random.default_rng(1)
    for i in range(int(seconds * fps)):
        t = i / fps
        tilt = tilts_by_second(t)
        test.add(start + t, None if tilt is None else tilt + rng.normal(0, 1.0))
    return test.status()


def _positions(t: float) -> float:
    """Relaxed 0-6 s, forward 6-12 s, back 12-18 s: what a person following the steps does."""
    return 10.0 if t < 6 else 22.0 if t < 12 else 1.0


def test_guided_test_records_the_three_positions():
    status = _run(RangeTest(recorded_on=DAY), _positions)
    assert status.phase == "done"
    result = status.result
    assert result.neutral_deg == pytest.approx(10.0, abs=1.0)
    assert result.max_anterior_deg == pytest.approx(22.0, abs=1.0)
    assert result.max_posterior_deg == pytest.approx(1.0, abs=1.0)
    assert result.recorded_on == DAY


def test_guided_test_counts_down_then_records():
    test = RangeTest()
    test.add(0.0, 10.0)
    test.add(1.0, 10.0)
    status = test.status()
    assert (status.phase, status.step, status.seconds_left) == ("ready", 0, pytest.approx(2.0))
    test.add(3.0, 10.0)
    test.add(4.0, 10.0)
    assert (test.status().phase, test.status().seconds_left) == ("record", pytest.approx(2.0))


def test_a_step_without_enough_measured_frames_is_repeated():
    # No measurement at all during the first recording (3-6 s), then the person is seen.
    status = _run(RangeTest(), lambda t: None if t < 6 else 10.0, seconds=7.0)
    assert status.step == 0 and status.phase in ("ready", "record")
    assert re.search(r"Only \d frames could be measured", status.message)


def test_a_person_who_does_not_move_gets_a_failure_with_advice():
    status = _run(RangeTest(), lambda t: 10.0)
    assert status.phase == "failed"
    assert "Tipping forward" in status.message
    assert status.result is None
