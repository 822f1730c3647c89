"""From measures to a verdict: thresholds, tilt class and confidence, Kendall's type
(``verdict``), the error figures they rest on (``errors``) and the comparison of two analyses
(``compare``)."""

from posture.assess.verdict import (
    DEFAULT,
    Thresholds,
    assess,
    class_probability,
    classify,
    kendall_type,
    resolved,
    with_markers,
)

__all__ = [
    "DEFAULT",
    "Thresholds",
    "assess",
    "class_probability",
    "classify",
    "kendall_type",
    "resolved",
    "with_markers",
]
