"""The One Euro filter: numbers checkable by hand, then the behaviour a viewer notices."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.live.smoothing import TILT_PARAMS, OneEuroFilter, OneEuroParams, smoothing_factor


def test_smoothing_factor_is_one_half_when_dt_equals_the_time_constant():
    # tau = 1 / (2π · 1 Hz); alpha = 1 / (1 + tau / dt) = 1/2 when dt = tau.
    assert smoothing_factor(1 / (2 * math.pi), 1.0) == pytest.approx(0.5)


def test_first_sample_passes_through():
    assert OneEuroFilter().filter(7.5, 0.0) == 7.5


def test_a_step_moves_by_alpha_when_beta_is_zero():
    f = OneEuroFilter(OneEuroParams(min_cutoff=1.0, beta=0.0))
    f.filter(0.0, 0.0)
    dt = 1 / (2 * math.pi)
    assert f.filter(10.0, dt) == pytest.approx(5.0)  # alpha = 0.5
    assert f.filter(10.0, 2 * dt) == pytest.approx(7.5)  # half the remaining gap


def test_a_constant_stays_constant():
    f = OneEuroFilter(TILT_PARAMS)
    assert all(f.filter(12.0, i / 30) == pytest.approx(12.0) for i in range(30))


def test_time_that_does_not_advance_returns_the_last_output():
    f = OneEuroFilter()
    f.filter(1.0, 1.0)
    f.filter(3.0, 2.0)
    last = f.value
    assert f.filter(100.0, 2.0) == last
    assert f.filter(100.0, 1.5) == last


def test_jitter_is_smoothed_away():
    """±1.5° frame-to-frame noise on a still 12° tilt at 20 frames a second shrinks 2.5× or more."""
    rng = np.random.default_rng(0)
    raw = 12.0 + rng.normal(0.0, 1.5, 400)
    f = OneEuroFilter(TILT_PARAMS)
    out = np.array([f.filter(v, i / 20) for i, v in enumerate(raw)])
    assert np.std(out[40:]) < np.std(raw[40:]) / 2.5
    assert np.mean(out[40:]) == pytest.approx(12.0, abs=0.5)


def test_a_deliberate_change_is_followed_quickly():
    """A 15° step (noise ±1.5°) at 20 frames a second: within 10 % of it after 0.25 s."""
    rng = np.random.default_rng(1)
    f = OneEuroFilter(TILT_PARAMS)
    times = np.arange(0, 3, 1 / 20)
    raw = np.where(times < 1, 0.0, 15.0) + rng.normal(0.0, 1.5, len(times))
    out = np.array([f.filter(v, t) for v, t in zip(raw, times)])
    assert out[times >= 1.25].min() > 13.5 - 3 * 0.5  # allowing the smoothed noise
    assert np.mean(out[(times >= 1.25) & (times < 2)]) == pytest.approx(15.0, abs=1.0)


def test_speed_lowers_the_lag():
    """A 20°/s ramp: with beta the output trails by less than without."""
    times = np.arange(0, 2, 1 / 30)
    lags = {}
    for beta in (0.0, 0.05):
        f = OneEuroFilter(OneEuroParams(min_cutoff=0.5, beta=beta))
        out = [f.filter(20.0 * t, t) for t in times]
        lags[beta] = 20.0 * times[-1] - out[-1]
    assert lags[0.05] < lags[0.0] / 2


def test_arrays_are_filtered_elementwise_and_keep_their_shape():
    f = OneEuroFilter(OneEuroParams(min_cutoff=1.0))
    f.filter(np.zeros((3, 2)), 0.0)
    out = f.filter(np.full((3, 2), 10.0), 1 / (2 * math.pi))
    assert out.shape == (3, 2)
    np.testing.assert_allclose(out, 5.0)


def test_reset_forgets_the_past():
    f = OneEuroFilter()
    f.filter(0.0, 0.0)
    f.filter(1.0, 0.1)
    f.reset()
    assert f.value is None
    assert f.filter(50.0, 0.2) == 50.0


@pytest.mark.parametrize(
    "kwargs", [dict(min_cutoff=0.0), dict(min_cutoff=-1.0), dict(d_cutoff=0.0), dict(beta=-0.1)]
)
def test_invalid_parameters_raise(kwargs):
    with pytest.raises(ValueError):
        OneEuroParams(**kwargs)
