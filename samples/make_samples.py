"""Render the demo photos in this folder from the CC0 mesh in ../shared/models_3d.

    PYTHONPATH=. python samples/make_samples.py

Each is a synthetic side view with a known pelvic tilt (the truth is saved beside it as JSON).
They are the project's own images, free to use, for the README, the app's "try a sample" and
quick manual checks. They are not measurements of a real person.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
DEMOS = {  # name: (pelvic tilt change from the mesh's neutral, facing, clothes colours)
    "synthetic_posterior_tilt": (-14.0, "left", (0.55, 0.20, 0.20)),
    "synthetic_neutral": (0.0, "right", (0.20, 0.35, 0.60)),
    "synthetic_anterior_tilt": (16.0, "right", (0.25, 0.45, 0.30)),
}


def main() -> None:
    from benchmarks.synth.generate import SceneParams, render_scene

    for name, (tilt, facing, top) in DEMOS.items():
        params = SceneParams(
            pelvis_tilt_deg=tilt,
            facing=facing,
            top_rgb=top,
            width=540,
            height=960,
            seed=3,
            sleeve=0.3,
            leg_cover=0.8,
        )
        rgb, truth = render_scene(params)
        Image.fromarray(rgb).save(HERE / f"{name}.jpg", quality=88)
        summary = {
            k: round(float(truth[k]), 2)
            for k in ("pelvic_tilt_deg", "pelvis_tilt_change_deg", "lumbar_flexicurve_deg")
        }
        (HERE / f"{name}.json").write_text(json.dumps({"truth": summary, "facing": facing}, indent=2) + "\n")
        print(name, summary)


if __name__ == "__main__":
    main()
