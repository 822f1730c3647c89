"""The fitted estimator of pelvic tilt and lumbar angle: the model file, evaluated with numpy.

The model file (``data/estimator-v2.json``, written by ``python -m benchmarks.fit.train``)
holds, for each target (pelvic tilt, lumbar angle), a model on the outline and landmark features
of ``posture.measure.outline``: a ridge regression on standardised, clipped features,
gradient-boosted trees as plain arrays, or the mean of those trees and a small neural network
(``Network``), whichever the training command chose. It also holds the class-probability
spread, the out-of-range limit and the error figures measured on held-out bodies when it was
trained (``errors``, read by ``posture.assess.errors``), so the figures always belong to the
model in use. No scikit-learn is needed to run it.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = "posture-estimator"
MODEL_FILE = Path(__file__).resolve().parent / "data" / "estimator-v2.json"


class ModelFileError(ValueError):
    """The model file is missing, malformed or made for other features."""


@dataclass(frozen=True)
class Estimate:
    tilt: float
    lumbar: float
    ood: float
    """Root-mean-square standardised feature value: how far the photo lies from training."""


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees as plain arrays, one row per tree (padded).

    A sample goes left at a node when its feature is <= the threshold (or is missing and
    ``missing_left``); its prediction is ``baseline`` plus the value of the leaf it reaches in
    every tree (the learning rate is already in the leaf values).
    """

    baseline: float
    feature: np.ndarray  # (T, N) int
    threshold: np.ndarray  # (T, N) float
    left: np.ndarray  # (T, N) int
    right: np.ndarray  # (T, N) int
    missing_left: np.ndarray  # (T, N) bool
    leaf: np.ndarray  # (T, N) bool
    value: np.ndarray  # (T, N) float
    depth: int

    @classmethod
    def from_dict(cls, data: dict) -> Trees:
        arrays = {k: np.asarray(data[k]) for k in ("feature", "threshold", "left", "right", "value")}
        shape = arrays["feature"].shape
        if len(shape) != 2 or any(a.shape != shape for a in arrays.values()):
            raise ModelFileError("the model file's tree arrays do not match")
        return cls(
            baseline=float(data["baseline"]),
            feature=arrays["feature"].astype(int),
            threshold=arrays["threshold"].astype(float),
            left=arrays["left"].astype(int),
            right=arrays["right"].astype(int),
            missing_left=np.asarray(data["missing_left"], dtype=bool),
            leaf=np.asarray(data["leaf"], dtype=bool),
            value=arrays["value"].astype(float),
            depth=int(data["depth"]),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for samples ``x`` (S, F); NaN features follow ``missing_left``."""
        x = np.atleast_2d(np.asarray(x, float))
        trees = np.arange(self.feature.shape[0])
        out = np.empty(len(x))
        for s, sample in enumerate(x):
            node = np.zeros(len(trees), dtype=int)
            for _ in range(self.depth + 1):
                leaf = self.leaf[trees, node]
                if leaf.all():
                    break
                v = sample[self.feature[trees, node]]
                go_left = np.where(
                    np.isnan(v), self.missing_left[trees, node], v <= self.threshold[trees, node]
                )
                step = np.where(go_left, self.left[trees, node], self.right[trees, node])
                node = np.where(leaf, node, step)
            out[s] = self.baseline + self.value[trees, node].sum()
        return out


@dataclass(frozen=True)
class Network:
    """A small fully connected network (ReLU hidden layers, linear output) on the standardised,
    clipped features: ``z = clip((x - mean) / scale)`` with an unread feature counted as the mean
    (``z = 0``), then ``h = relu(h @ W + b)`` per hidden layer and ``h @ W + b`` at the end."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    @classmethod
    def from_dict(cls, data: dict, n_features: int) -> Network:
        weights = tuple(np.asarray(w, float) for w in data["weights"])
        biases = tuple(np.asarray(b, float) for b in data["biases"])
        sizes = [n_features] + [w.shape[1] if w.ndim == 2 else -1 for w in weights]
        if (
            len(weights) != len(biases)
            or any(w.ndim != 2 or w.shape[0] != sizes[i] for i, w in enumerate(weights))
            or any(b.shape != (w.shape[1],) for w, b in zip(weights, biases))
            or sizes[-1] != 1
        ):
            raise ModelFileError("the model file's network arrays do not match")
        return cls(weights=weights, biases=biases)

    def predict(self, z: np.ndarray) -> np.ndarray:
        """Predictions for standardised, clipped features ``z`` (S, F)."""
        h = np.atleast_2d(z)
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            h = np.maximum(h @ w + b, 0.0)
        return (h @ self.weights[-1] + self.biases[-1])[:, 0]


@dataclass(frozen=True)
class Model:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: dict[str, np.ndarray]
    intercept: dict[str, float]
    ood_limit: float
    class_sd: float
    errors: dict
    training: dict
    clip: float = np.inf
    """Standardised features are clipped to +-clip before the linear model (one stray
    feature, a failed front edge say, cannot swing the estimate far)."""
    trees: dict | None = None
    """Per target, gradient-boosted trees used instead of the linear model (``Trees``)."""
    networks: dict | None = None
    """Per target, a network whose prediction is averaged with the trees' (``Network``)."""

    @classmethod
    def from_dict(cls, data: dict, expected_features: tuple[str, ...] | None = None) -> Model:
        if data.get("format") != FORMAT:
            raise ModelFileError("not a posture estimator model file")
        features = tuple(data["features"])
        if expected_features is not None and features != tuple(expected_features):
            raise ModelFileError("the model file was made for other features")
        n = len(features)
        mean, scale = np.asarray(data["mean"], float), np.asarray(data["scale"], float)
        coef = {k: np.asarray(v["coef"], float) for k, v in data["targets"].items()}
        if mean.shape != (n,) or scale.shape != (n,) or any(c.shape != (n,) for c in coef.values()):
            raise ModelFileError("the model file's arrays do not match its feature list")
        trees = {k: Trees.from_dict(v["trees"]) for k, v in data["targets"].items() if "trees" in v}
        networks = {
            k: Network.from_dict(v["network"], n) for k, v in data["targets"].items() if "network" in v
        }
        if any(k not in trees for k in networks):
            raise ModelFileError("the model file has a network without trees")
        return cls(
            version=str(data["version"]),
            features=features,
            mean=mean,
            scale=scale,
            coef=coef,
            intercept={k: float(v["intercept"]) for k, v in data["targets"].items()},
            ood_limit=float(data["ood_limit"]),
            class_sd=float(data["class_sd"]),
            errors=dict(data.get("errors", {})),
            training=dict(data.get("training", {})),
            clip=float(data.get("clip", np.inf)),
            trees=trees or None,
            networks=networks or None,
        )

    @classmethod
    def load(cls, path: Path, expected_features: tuple[str, ...] | None = None) -> Model:
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise ModelFileError(f"cannot read the model file {path}: {error}") from error
        return cls.from_dict(data, expected_features)

    def standardise(self, features: np.ndarray) -> np.ndarray:
        """Standardised features; a feature that could not be read counts as the mean."""
        z = (np.asarray(features, float) - self.mean) / self.scale
        return np.where(np.isfinite(z), z, 0.0)

    def predict(self, features: np.ndarray) -> Estimate:
        values = self.predict_many(np.asarray(features, float)[None, :])
        return Estimate(
            tilt=float(values["pelvic_tilt"][0]),
            lumbar=float(values["lumbar_lordosis"][0]),
            ood=float(values["ood"][0]),
        )

    def predict_many(self, features: np.ndarray) -> dict[str, np.ndarray]:
        z = (np.asarray(features, float) - self.mean) / self.scale
        z = np.where(np.isfinite(z), z, 0.0)
        out = {"ood": np.sqrt(np.mean(z**2, axis=1))}
        for target, coef in self.coef.items():
            if self.trees and target in self.trees:
                out[target] = self.trees[target].predict(np.asarray(features, float))
                if self.networks and target in self.networks:
                    net = self.networks[target].predict(np.clip(z, -self.clip, self.clip))
                    out[target] = 0.5 * (out[target] + net)
            else:
                out[target] = np.clip(z, -self.clip, self.clip) @ coef + self.intercept[target]
        return out


@functools.cache
def shipped() -> Model:
    """The model shipped with the package (read once; raises ``ModelFileError`` when bad)."""
    from posture.measure import outline

    return Model.load(MODEL_FILE, outline.FEATURE_NAMES)


def class_probabilities(
    tilt: float, sd: float, posterior_below: float, anterior_above: float
) -> tuple[float, float, float]:
    """P(posterior), P(neutral), P(anterior) of the true tilt, for a normal error of ``sd``
    around the estimate ``tilt``."""

    def below(x: float) -> float:
        return 0.5 * (1.0 + math.erf((x - tilt) / (sd * math.sqrt(2.0))))

    p_post = below(posterior_below)
    p_ant = 1.0 - below(anterior_above)
    return p_post, max(0.0, 1.0 - p_post - p_ant), p_ant


PLAUSIBLE_TILT = (-30.0, 45.0)
"""Tilt estimates outside this range (degrees) are outline failures, not pelvises."""
PLAUSIBLE_LUMBAR = (-30.0, 100.0)
"""Lumbar estimates outside this range (degrees) are outline failures, not backs."""


MASK_SHIFTS = (0.0, -0.15, 0.15)
"""The outline is read at the segmentation mask's 0.5 level and, for the average, also at its
0.65 and 0.35 levels (the mask shifted by these amounts). Where a real photo's mask edge is soft
(a small or compressed photo, a video frame), the estimate from one level jumps between
near-identical pictures; the mean of the three moves less (``python -m
benchmarks.fit.real_steadiness --mask-levels 1`` against the default; docs/METHOD.md). The
first (unshifted) reading decides whether there is an estimate at all; a shifted one that
cannot be read, or is declined, is left out."""


@dataclass(frozen=True)
class Reading:
    """The estimate for one canonical-facing pose, or the reason there is none."""

    estimate: Estimate | None
    reason: str | None
    outline: object | None  # outline.Outline


OUT_OF_RANGE = (
    "the outline does not look like a standing body seen from the "
    "side (a bag, a chair, another person or a very loose garment?)"
)
IMPLAUSIBLE = (
    "the outline gave an implausible shape: stand in front of a plain background with your whole side in view"
)


def decline_reason(model: Model, estimate: Estimate) -> str | None:
    """Why an estimate from a readable outline is not given (None: it is)."""
    if estimate.ood > model.ood_limit:
        return OUT_OF_RANGE
    if not (
        PLAUSIBLE_TILT[0] <= estimate.tilt <= PLAUSIBLE_TILT[1]
        and PLAUSIBLE_LUMBAR[0] <= estimate.lumbar <= PLAUSIBLE_LUMBAR[1]
    ):
        return IMPLAUSIBLE
    return None


def combine(model: Model, feature_sets: list[np.ndarray | None]) -> tuple[Estimate | None, str | None]:
    """The estimate from the feature vectors of one photo read at each of ``MASK_SHIFTS`` (None
    where that level could not be read): the first decides (its decline reason, if any, is
    returned); the estimate is the mean of every level that is readable and not declined."""
    first = feature_sets[0]
    if first is None:
        raise ValueError("the unshifted outline must be readable")
    estimates = [model.predict(first)]
    reason = decline_reason(model, estimates[0])
    if reason:
        return None, reason
    for features in feature_sets[1:]:
        if features is not None:
            other = model.predict(features)
            if decline_reason(model, other) is None:
                estimates.append(other)
    return (
        Estimate(
            tilt=float(np.mean([e.tilt for e in estimates])),
            lumbar=float(np.mean([e.lumbar for e in estimates])),
            ood=estimates[0].ood,
        ),
        None,
    )


def shifted_features(
    xy: np.ndarray, mask: np.ndarray, visibility: np.ndarray | None
) -> list[np.ndarray | None]:
    """Feature vectors of the outline read at each of ``MASK_SHIFTS`` after the first (None
    where it cannot be read)."""
    from posture.measure import outline as features

    out = []
    for shift in MASK_SHIFTS[1:]:
        try:
            out.append(features.extract(xy, np.clip(mask + shift, 0.0, 1.0), visibility).features)
        except features.OutlineUnreadable:
            out.append(None)
    return out


def read(
    model: Model, xy: np.ndarray, mask: np.ndarray | None, visibility: np.ndarray | None = None
) -> Reading:
    """Features, estimate (the mean over ``MASK_SHIFTS``) and the checks that decline an
    unreadable outline."""
    from posture.measure import outline as features

    try:
        found = features.extract(xy, mask, visibility)
    except features.OutlineUnreadable as error:
        return Reading(None, str(error), None)
    others = shifted_features(xy, np.asarray(mask, np.float32), visibility)
    estimate, reason = combine(model, [found.features, *others])
    return Reading(estimate, reason, found)
