"""The estimator report's change figures, on numbers that can be checked by hand."""

from __future__ import annotations

import pytest

from benchmarks.fit import evaluate


def _record(group: str, tilt: float, change: float, same_setup: bool) -> dict:
    return {"group": group, "tilt": tilt, "tilt_change": change, "same_setup": same_setup}


def _reading(tilt: float | None) -> dict:
    return {"tilt": tilt}


def test_change_pairs_are_formed_against_the_groups_neutral_photo_and_split_by_set_up():
    records = [
        # a session (same set-up): neutral 12°, then 20° and 5°
        _record("s0", 12.0, 0.0, True),
        _record("s0", 20.0, 8.0, True),
        _record("s0", 5.0, -7.0, True),
        # one body over varied set-ups: neutral 12°, then 17°
        _record("b1", 12.0, 0.0, False),
        _record("b1", 17.0, 5.0, False),
    ]
    readings = [_reading(t) for t in (13.0, 19.0, 8.0, 10.0, 18.0)]
    # session: (19 - 13) - 8 = -2; (8 - 13) - (-7) = +2
    assert evaluate.change_errors(records, readings, "tilt", "tilt", same_setup=True) == [-2.0, 2.0]
    # varied: (18 - 10) - 5 = +3
    assert evaluate.change_errors(records, readings, "tilt", "tilt", same_setup=False) == [3.0]
    assert sorted(evaluate.change_errors(records, readings, "tilt", "tilt")) == [-2.0, 2.0, 3.0]


def test_a_photo_without_a_reading_drops_out_of_the_pairs():
    records = [_record("s0", 12.0, 0.0, True), _record("s0", 20.0, 8.0, True), _record("s0", 5.0, -7.0, True)]
    readings = [_reading(13.0), _reading(None), _reading(8.0)]
    assert evaluate.change_errors(records, readings, "tilt", "tilt", same_setup=True) == [2.0]
    readings[0] = _reading(None)  # no reference: no pairs in that group
    assert evaluate.change_errors(records, readings, "tilt", "tilt", same_setup=True) == []


def test_agreement_limit_is_1_96_sd():
    figures = evaluate.agreement([-2.0, 2.0, -2.0, 2.0])
    assert figures["mae"] == pytest.approx(2.0)
    assert figures["sd"] == pytest.approx(2.3094, abs=1e-4)  # sample SD of ±2, n = 4
    assert figures["limit_1.96sd"] == pytest.approx(1.96 * 2.3094, abs=1e-3)
