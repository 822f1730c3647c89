"""How well the markerless pelvic tilt estimate agrees with the skin markers, over saved sessions.

A clinic checks the estimator on its own clients: every session saved with a sticker pair
also holds the markerless estimate of the same photo (``Session.tilt_markers`` and
``Session.tilt_estimate``, degrees, anterior positive). Over those pairs this module gives the
Bland–Altman agreement and its plot. Pure functions over ``Session`` lists; no plotting or
statistics library; the plot is ``posture.records.agreement_plot``.

Conventions
-----------
* ``difference`` = estimate − markers, degrees: positive when the estimate reads the pelvis
  more anteriorly tilted than the stickers do.
* ``mean`` = (estimate + markers) / 2, degrees (the x axis of the plot).
* ``bias`` is the mean difference; ``sd`` the sample standard deviation of the differences
  (n − 1 in the denominator); the 95% limits of agreement are ``bias ± 1.96·sd``: about 95%
  of single-photo differences fall between them.
* The 95% confidence interval of the bias is ``bias ± t·sd/√n`` and that of each limit
  ``limit ± t·sd·√(3/n)`` (Bland & Altman 1986, the approximate standard error of a limit,
  √(3·sd²/n)), with ``t`` Student's t 97.5th percentile for n − 1 degrees of freedom
  (``t_975``). They say how far the figures from this many sessions could be from the
  figures of many more such sessions.
* Fewer than ``MIN_PAIRS`` pairs give no figures, with ``reason`` saying so.

The sessions are the clinic's own clients, photographed as they were: the figures describe
how this estimator agrees with these stickers, placed by these trainers, on these people.
Every session counts as one independent photo; several sessions of one client are not
independent (Bland & Altman 2007 treat such repeated measures), so when a few clients give
most of the sessions the confidence intervals are narrower than they should be. ``clients``
says how many people the sessions come from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from posture.records.entries import Session

MIN_PAIRS = 3
"""Fewest sessions with both a marker tilt and an estimate for the agreement to be given."""

LIMIT_Z = 1.96
"""The 97.5th percentile of the standard normal: the limits of agreement are bias ± 1.96·SD."""

_T_975 = {
    1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646, 8: 2.3060,
    9: 2.2622, 10: 2.2281, 11: 2.2010, 12: 2.1788, 13: 2.1604, 14: 2.1448, 15: 2.1314,
    16: 2.1199, 17: 2.1098, 18: 2.1009, 19: 2.0930, 20: 2.0860, 21: 2.0796, 22: 2.0739,
    23: 2.0687, 24: 2.0639, 25: 2.0595, 26: 2.0555, 27: 2.0518, 28: 2.0484, 29: 2.0452,
    30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9799,
}  # fmt: skip
"""Student's t 97.5th percentiles (two-sided 95%) by degrees of freedom, to 4 decimals."""


def t_975(df: int) -> float:
    """Student's t 97.5th percentile for ``df`` degrees of freedom (≥ 1).

    Exact to 4 decimals for df 1..30, 40, 60 and 120 (the table); between those and beyond
    120 (towards 1.95996 for infinite df) interpolated linearly in 1/df, which is within
    0.001 of the true value.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if df in _T_975:
        return _T_975[df]
    known = sorted(_T_975) + [math.inf]
    upper = next(k for k in known if k > df)
    lower = max(k for k in known if k < df)
    t_low, t_up = _T_975[lower], _T_975.get(upper, 1.959964)
    inv, inv_low, inv_up = 1.0 / df, 1.0 / lower, 0.0 if upper == math.inf else 1.0 / upper
    return t_up + (t_low - t_up) * (inv - inv_up) / (inv_low - inv_up)


@dataclass(frozen=True)
class Pair:
    """One saved session's two readings of the same photo, degrees, anterior positive."""

    session_id: int
    client_id: int
    taken: str
    markers: float
    estimate: float

    @property
    def difference(self) -> float:
        """estimate − markers, degrees."""
        return self.estimate - self.markers

    @property
    def mean(self) -> float:
        """(estimate + markers) / 2, degrees."""
        return (self.estimate + self.markers) / 2.0


@dataclass(frozen=True)
class Agreement:
    """The Bland–Altman agreement of the estimate with the markers (see the module docstring).

    All figures are degrees; they are None, with ``reason`` set, when there are fewer than
    ``MIN_PAIRS`` pairs. ``lower``/``upper`` are the 95% limits of agreement; ``bias_ci``,
    ``lower_ci`` and ``upper_ci`` the 95% confidence intervals (low, high) of the bias and of
    each limit.
    """

    pairs: tuple[Pair, ...]
    bias: float | None = None
    sd: float | None = None
    lower: float | None = None
    upper: float | None = None
    bias_ci: tuple[float, float] | None = None
    lower_ci: tuple[float, float] | None = None
    upper_ci: tuple[float, float] | None = None
    reason: str | None = None

    @property
    def n(self) -> int:
        """The number of marker sessions with both readings."""
        return len(self.pairs)

    @property
    def clients(self) -> int:
        """The number of different clients the marker sessions come from."""
        return len({p.client_id for p in self.pairs})

    @property
    def enough(self) -> bool:
        return self.bias is not None


def pairs(sessions: Sequence[Session]) -> list[Pair]:
    """The sessions that have both a marker tilt and a markerless estimate, in the given order."""
    return [
        Pair(s.id, s.client_id, s.taken, float(s.tilt_markers), float(s.tilt_estimate))
        for s in sessions
        if s.tilt_markers is not None and s.tilt_estimate is not None
    ]


def agreement(sessions: Sequence[Session]) -> Agreement:
    """The agreement over every session in ``sessions`` that has both readings."""
    return agreement_of(pairs(sessions))


def agreement_of(found: Sequence[Pair]) -> Agreement:
    """The agreement over ``found`` pairs (see the module docstring for the formulas)."""
    found = tuple(found)
    n = len(found)
    if n < MIN_PAIRS:
        return Agreement(found, reason=not_enough(n))
    differences = [p.difference for p in found]
    bias = math.fsum(differences) / n
    sd = math.sqrt(math.fsum((d - bias) ** 2 for d in differences) / (n - 1))
    t = t_975(n - 1)
    lower, upper = bias - LIMIT_Z * sd, bias + LIMIT_Z * sd
    half_bias, half_limit = t * sd / math.sqrt(n), t * sd * math.sqrt(3.0 / n)
    return Agreement(
        found,
        bias=bias,
        sd=sd,
        lower=lower,
        upper=upper,
        bias_ci=(bias - half_bias, bias + half_bias),
        lower_ci=(lower - half_limit, lower + half_limit),
        upper_ci=(upper - half_limit, upper + half_limit),
    )


def not_enough(n: int) -> str:
    """Why there are no figures for ``n`` pairs (fewer than ``MIN_PAIRS``)."""
    if n == 0:
        return (
            "not enough sessions: no saved session has a marker tilt and a markerless estimate "
            "(save sessions analysed with the two skin stickers)"
        )
    return (
        f"not enough sessions: {n} saved session(s) with a marker tilt and a markerless "
        f"estimate, at least {MIN_PAIRS} are needed"
    )


def agreement_lines(a: Agreement) -> list[str]:
    """The agreement in words and numbers, one line each (degrees to 0.1)."""
    if not a.enough:
        return [f"Markerless estimate against skin markers: {a.reason}."]
    return [
        f"Markerless estimate against skin markers over {a.n} saved marker sessions "
        "(difference = estimate − markers, degrees, anterior tilt positive):",
        f"  sessions: {a.n} (of {a.clients} client(s))",
        f"  bias: {a.bias:+.1f}° (95% CI {_span(a.bias_ci)})",
        f"  SD of the differences: {a.sd:.1f}°",
        f"  95% limits of agreement: {a.lower:+.1f}° to {a.upper:+.1f}°",
        f"    lower limit 95% CI {_span(a.lower_ci)}; upper limit 95% CI {_span(a.upper_ci)}",
    ]


def _span(interval: tuple[float, float] | None) -> str:
    return "—" if interval is None else f"{interval[0]:+.1f}° to {interval[1]:+.1f}°"


def agreement_dict(a: Agreement) -> dict:
    """The agreement as JSON-ready data (degrees, unrounded), with each pair."""

    def pair(interval: tuple[float, float] | None) -> list[float] | None:
        return None if interval is None else list(interval)

    return {
        "sessions": a.n,
        "clients": a.clients,
        "difference": "estimate - markers",
        "unit": "deg",
        "bias": a.bias,
        "sd": a.sd,
        "limits_of_agreement": None if not a.enough else [a.lower, a.upper],
        "bias_ci95": pair(a.bias_ci),
        "lower_limit_ci95": pair(a.lower_ci),
        "upper_limit_ci95": pair(a.upper_ci),
        "reason": a.reason,
        "pairs": [
            {
                "session": p.session_id,
                "client": p.client_id,
                "taken": p.taken,
                "markers": p.markers,
                "estimate": p.estimate,
                "difference": p.difference,
            }
            for p in a.pairs
        ],
    }
