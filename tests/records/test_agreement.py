"""The estimate's agreement with the skin markers over saved sessions: exact figures on pairs
built by hand, which sessions count, the 'not enough' answer, and the Bland–Altman plot."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from posture.records import Store, agreement, draft
from posture.records.agreement import MIN_PAIRS, Pair, agreement_of, t_975
from posture.records.agreement_plot import bland_altman_svg
from posture.types import TiltMethod
from tests.records.test_store import at, measured
from tests.records.test_tilt_method import version_3_database, without_markers

SVG = "{http://www.w3.org/2000/svg}"


def marker_analysis(marker_tilt: float, estimate: float):
    """A hand-built analysis as the analyzer makes it with two stickers: the reported tilt is
    the marker tilt, the pelvic tilt measure and ``estimate_degrees`` the markerless estimate
    (degrees, anterior positive)."""
    base = measured({"pelvic_tilt": estimate})
    assessment = replace(
        base.assessment, tilt_degrees=marker_tilt, method=TiltMethod.MARKERS, estimate_degrees=estimate
    )
    return replace(base, assessment=assessment)


def pairs_of(differences, markers=(10.0, 20.0, 30.0, 40.0, 50.0)):
    """Pairs whose estimate − markers are ``differences`` (degrees)."""
    return [Pair(i, 1, at(i + 1).isoformat(), m, m + d) for i, (m, d) in enumerate(zip(markers, differences))]


def test_differences_1_3_5_give_bias_3_sd_2_and_limits_minus_0_92_to_6_92():
    # bias = (1 + 3 + 5) / 3 = 3; sd = sqrt((4 + 0 + 4) / 2) = 2; limits 3 ± 1.96·2.
    # t(0.975, 2) = 4.3027: bias CI 3 ± 4.3027·2/√3 = 3 ± 4.9683; limit CI ± 4.3027·2·√(3/3).
    a = agreement_of(pairs_of([1.0, 3.0, 5.0]))
    assert a.n == 3 and a.enough and a.reason is None
    assert a.bias == pytest.approx(3.0) and a.sd == pytest.approx(2.0)
    assert (a.lower, a.upper) == pytest.approx((-0.92, 6.92))
    assert a.bias_ci == pytest.approx((3 - 4.9683, 3 + 4.9683), abs=1e-4)
    assert a.lower_ci == pytest.approx((-0.92 - 8.6054, -0.92 + 8.6054), abs=1e-4)
    assert a.upper_ci == pytest.approx((6.92 - 8.6054, 6.92 + 8.6054), abs=1e-4)


def test_the_sign_is_estimate_minus_markers():
    # The estimate reads 2° less anterior tilt than the stickers each time: bias −2, sd 0.
    a = agreement_of(pairs_of([-2.0, -2.0, -2.0, -2.0]))
    assert a.bias == pytest.approx(-2.0) and a.sd == pytest.approx(0.0)
    assert (a.lower, a.upper) == pytest.approx((-2.0, -2.0))
    assert a.bias_ci == pytest.approx((-2.0, -2.0))


def test_four_differences_use_three_degrees_of_freedom():
    # -1, 1, -1, 1: bias 0, sd = sqrt(4/3) = 1.1547; t(3) = 3.1824; bias CI ± 3.1824·1.1547/2.
    a = agreement_of(pairs_of([-1.0, 1.0, -1.0, 1.0]))
    assert a.bias == pytest.approx(0.0, abs=1e-12) and a.sd == pytest.approx(math.sqrt(4 / 3))
    assert a.upper == pytest.approx(1.96 * 1.154701, abs=1e-5)
    assert a.bias_ci[1] == pytest.approx(3.1824 * 1.154701 / 2, abs=1e-4)
    assert a.upper_ci[1] - a.upper == pytest.approx(3.1824 * 1.154701 * math.sqrt(3 / 4), abs=1e-4)


@pytest.mark.parametrize(
    ("df", "t"), [(1, 12.7062), (2, 4.3027), (10, 2.2281), (35, 2.0301), (80, 1.9901), (1000, 1.9623)]
)
def test_t_975_matches_the_printed_tables(df, t):
    assert t_975(df) == pytest.approx(t, abs=0.001)


def test_t_975_refuses_zero_degrees_of_freedom():
    with pytest.raises(ValueError, match="at least 1"):
        t_975(0)


@pytest.mark.parametrize("n", range(MIN_PAIRS))
def test_fewer_than_three_pairs_give_no_figures_but_say_why(n):
    a = agreement_of(pairs_of([1.0, 2.0][:n]))
    assert not a.enough and a.n == n
    assert (a.bias, a.sd, a.lower, a.upper, a.bias_ci) == (None,) * 5
    assert a.reason.startswith("not enough sessions")
    assert agreement.agreement_lines(a) == [f"Markerless estimate against skin markers: {a.reason}."]
    assert agreement.agreement_dict(a)["limits_of_agreement"] is None


def test_only_sessions_with_both_readings_count(tmp_path):
    """An old session (no method stored) and a markerless one are left out; marker sessions
    of every client count, with the estimate from the same photo."""
    path = tmp_path / "old.sqlite3"
    version_3_database(path)  # one old session of 'Old Client', tilt 21.5°, no method
    store = Store(path)
    assert agreement.agreement(store.sessions(1)).n == 0
    other = store.add_client("Ben")
    store.add_session(1, draft(without_markers(9.0), taken=at(6)))
    store.add_session(1, draft(marker_analysis(14.0, 11.5), taken=at(7)))
    store.add_session(other.id, draft(marker_analysis(4.0, 5.0), taken=at(8)))
    store.add_session(other.id, draft(marker_analysis(-2.0, 1.5), taken=at(9)))
    sessions = store.sessions(1) + store.sessions(other.id)
    a = agreement.agreement(sessions)
    assert [(p.markers, p.estimate) for p in a.pairs] == [(14.0, 11.5), (4.0, 5.0), (-2.0, 1.5)]
    # differences -2.5, +1, +3.5: bias 2/3, sd = sqrt((3.1667² + 0.3333² + 2.8333²)/2) = 3.0139
    assert a.bias == pytest.approx(2 / 3) and a.sd == pytest.approx(3.013857, abs=1e-6)


def test_the_text_and_json_give_the_figures():
    a = agreement_of(pairs_of([1.0, 3.0, 5.0]))
    lines = agreement.agreement_lines(a)
    assert "  sessions: 3 (of 1 client(s))" in lines
    assert "  bias: +3.0° (95% CI -2.0° to +8.0°)" in lines
    assert "  95% limits of agreement: -0.9° to +6.9°" in lines
    data = agreement.agreement_dict(a)
    assert data["sessions"] == 3 and data["unit"] == "deg"
    assert data["limits_of_agreement"] == pytest.approx([-0.92, 6.92])
    assert [p["difference"] for p in data["pairs"]] == [1.0, 3.0, 5.0]


def test_the_plot_has_a_point_per_session_the_lines_where_they_belong_and_labelled_axes():
    a = agreement_of(pairs_of([1.0, 3.0, 5.0]))
    root = ET.fromstring(bland_altman_svg(a))
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 3
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Mean of marker tilt and estimate (°)" in texts
    assert "Estimate − markers (°)" in texts
    assert {"bias +3°", "+1.96 SD +6.9°", "−1.96 SD −0.9°"} <= set(texts)
    # The points' heights are the differences: equal steps of 2° give equal steps in y, the
    # bias line (3°) passes through the middle point, and y grows downwards.
    ys = [float(c.get("cy")) for c in circles]
    assert ys[0] > ys[1] > ys[2] and ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], abs=0.15)
    lines = {
        float(line.get("y1")) for line in root.findall(f"{SVG}line") if line.get("stroke-width") == "1.5"
    }
    assert min(abs(y - ys[1]) for y in lines) < 0.15
    # x is the mean of the two readings: 10.5, 21.5, 32.5 are equally spaced, left to right.
    xs = [float(c.get("cx")) for c in circles]
    assert xs[0] < xs[1] < xs[2] and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.15)


def test_the_plot_with_too_few_sessions_says_so():
    root = ET.fromstring(bland_altman_svg(agreement_of(pairs_of([1.0]))))
    assert root.findall(f"{SVG}circle") == []
    assert any("not enough sessions" in (t.text or "") for t in root.iter(f"{SVG}text"))
