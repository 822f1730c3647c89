"""Render synthetic side views with known truth: ``SceneParams`` -> (image, truth).

Usage::

    python -m benchmarks.synth.generate --out benchmarks/out/synth --n 200 --seed 1

writes ``0000.jpg`` and ``0000.json`` (``{"params": ..., "truth": ...}``) per image, and
with ``--masks`` also ``0000_mask.png`` (the figure's silhouette, 255 inside).

The scene's factors are ``SceneParams`` (``benchmarks.synth.scene``, drawn by
``sample_params``); the body is the CC0 base mesh, read from ``../shared/models_3d`` at run
time (``benchmarks.synth.gltf.MODEL_PATH``), posed by ``benchmarks.synth.posing`` and drawn by
``benchmarks.synth.draw`` as the anny bodies are.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np

from benchmarks.synth.appearance import Outfit, painting
from benchmarks.synth.draw import Dressed, draw, jsonable, silhouette
from benchmarks.synth.figure import load_figure
from benchmarks.synth.posing import pose_body
from benchmarks.synth.scene import SceneParams, sample_params
from benchmarks.synth.truth import compute_truth

__all__ = ["SceneParams", "render_scene", "render_scene_full", "sample_params", "write_sample"]
"""``SceneParams`` and ``sample_params`` live in ``benchmarks.synth.scene``; they are named
here too, where the scripts that render a scene have always found them."""


def render_scene(params: SceneParams) -> tuple[np.ndarray, dict]:
    """The degraded image (H, W, 3) uint8 RGB and the truth dict (``benchmarks.synth.truth``)."""
    rgb, _, _, truth = render_scene_full(params)
    return rgb, truth


def render_scene_full(params: SceneParams) -> tuple[np.ndarray, bytes | None, np.ndarray, dict]:
    """``(rgb, jpeg_bytes, mask, truth)``: ``jpeg_bytes`` decode to ``rgb`` (None when
    ``jpeg_quality`` is None); ``mask`` (H, W) bool is the figure's silhouette."""
    figure = load_figure()
    body = pose_body(figure.rig, params.posture(), height_m=params.height_m, girth=params.girth)
    surface = figure.surface(body.vertices)
    target = np.array([0.5 * (body.head("thigh.L")[0] + body.head("foot.L")[0]), 0.5 * params.height_m, 0.0])
    feet = 0.5 * (body.head("foot.L") + body.head("foot.R")) * np.array([1.0, 0.0, 1.0])
    outfit = Outfit(leg_cover=params.leg_cover, sleeve=params.sleeve, shoes=params.shoes, hair=params.hair)
    dressed = Dressed(surface, figure.faces, painting(figure), outfit)
    drawn = draw(params, dressed, target=target, feet=feet, jpeg_quality=params.jpeg_quality)
    truth = compute_truth(figure, body, surface, drawn.camera, params.facing)
    truth.update(silhouette(drawn.mask))
    return drawn.rgb, drawn.jpeg, drawn.mask, truth


# --- command line ----------------------------------------------------------------------


def write_sample(params: SceneParams, out_dir: Path, stem: str, *, masks: bool = False) -> dict:
    """Render ``params`` and write ``stem.jpg``, ``stem.json`` (and ``stem_mask.png``)."""
    params = params if params.jpeg_quality is not None else dataclasses.replace(params, jpeg_quality=95)
    _, jpeg, mask, truth = render_scene_full(params)
    (out_dir / f"{stem}.jpg").write_bytes(jpeg)
    record = {"params": params.to_json(), "truth": truth}
    (out_dir / f"{stem}.json").write_text(json.dumps(jsonable(record), indent=1))
    if masks:
        cv2.imwrite(str(out_dir / f"{stem}_mask.png"), mask.astype(np.uint8) * 255)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--n", type=int, default=20, help="number of images")
    parser.add_argument("--seed", type=int, default=0, help="seed of the whole set")
    parser.add_argument("--width", type=int, default=720)
    parser.add_argument("--height", type=int, default=1280)
    parser.add_argument("--masks", action="store_true", help="also write silhouette masks")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    for i in range(args.n):
        params = sample_params(rng, width=args.width, height=args.height)
        write_sample(params, args.out, f"{i:04d}", masks=args.masks)
    print(f"wrote {args.n} images to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
