"""The one table of every measure: its unit, definition and sign.

Signs hold whichever way the person faces: "forward" is the direction of the nose. The user's
wording for each measure (name and plain meaning) is in ``posture.render.wording``.
"""

from __future__ import annotations

# name: (unit, definition and sign)
CONVENTIONS: dict[str, tuple[str, str]] = {
    "pelvic_tilt": (
        "deg",
        "Estimated clinical pelvic tilt (ASIS-PSIS line vs horizontal); anterior "
        "(front of pelvis lower) positive. From the sacral outline, see METHOD.md.",
    ),
    "lumbar_lordosis": (
        "deg",
        "Angle between the back outline's tangents at the inflections "
        "above and below the lumbar hollow (as two inclinometers at T12/L1 and "
        "S1 read it); larger = deeper, 0 = flat, negative = rounded.",
    ),
    "sacral_inclination": (
        "deg",
        "Tangent of the back outline at the lower inflection (lumbosacral "
        "region) from vertical; positive when its top is forward (bottom back).",
    ),
    "trunk_inclination": (
        "deg",
        "Hip-centre to shoulder-centre line from vertical; positive = shoulders forward of hips.",
    ),
    "hip_flexion": (
        "deg",
        "Bend at the hip between thigh and trunk; positive = flexed (trunk "
        "forward of the thigh line), negative = extended (hips pushed forward).",
    ),
    "knee_flexion": (
        "deg",
        "Bend at the knee between shank and thigh; positive = flexed, negative "
        "= hyperextended (knee pushed back).",
    ),
    "head_forward": (
        "deg",
        "Shoulder to ear line from vertical; positive = ear forward of the "
        "shoulder. Craniovertebral proxy = 90 - this.",
    ),
    "craniovertebral_proxy": (
        "deg",
        "90 minus head_forward: angle of the shoulder-ear line above the "
        "horizontal; smaller = more forward head (shoulder stands in for C7).",
    ),
    "ear_offset": ("fraction of height", "Ear ahead (+) or behind (-) the vertical through the ankle."),
    "shoulder_offset": ("fraction of height", "Shoulder ahead (+) or behind (-) the ankle vertical."),
    "hip_offset": ("fraction of height", "Hip joint ahead (+) or behind (-) the ankle vertical."),
    "knee_offset": ("fraction of height", "Knee ahead (+) or behind (-) the ankle vertical."),
}
