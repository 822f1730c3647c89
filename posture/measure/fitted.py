"""The fitted model of pelvic tilt and lumbar angle: the model file, evaluated with numpy.

The model file (``data/estimator-v2.json``, written by ``python -m benchmarks.fit.train``)
holds, for each target (pelvic tilt, lumbar angle), a model on the outline and landmark features
of ``posture.measure.outline``: a ridge regression on standardised, clipped features
(``Linear``), gradient-boosted trees as plain arrays (``Trees``), or the mean of those trees and
a small neural network (``Blend``), whichever the training command chose. It also holds the
class-probability spread, the out-of-range limit and the error figures measured on held-out
bodies when it was trained (``errors``, read by ``posture.assess.errors``), so the figures
always belong to the model in use. No scikit-learn is needed to run it.

Features are standardised as ``z = (x - mean) / scale`` with an unread (NaN) feature counted as
the mean (``z = 0``); the linear model and the network read ``z`` clipped to ``±clip``, the
trees read the raw features (a NaN goes the way the tree learned for it).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
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
        """Predictions for samples ``x`` (S, F); NaN features follow ``missing_left``.

        Every sample walks every tree at once: ``at`` (S, T) is where each sample stands in each
        tree, as an index into the flattened (T * N) arrays, moved one level per step until all
        stand on leaves."""
        x = np.ascontiguousarray(np.atleast_2d(np.asarray(x, float)))
        n_trees, n_nodes = self.feature.shape
        first = np.arange(n_trees) * n_nodes
        row = (np.arange(len(x)) * x.shape[1])[:, None]
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        left, right, missing_left = self.left.ravel(), self.right.ravel(), self.missing_left.ravel()
        is_leaf, values = self.leaf.ravel(), x.ravel()
        at = np.broadcast_to(first, (len(x), n_trees))
        for _ in range(self.depth + 1):
            leaf = is_leaf[at]
            if leaf.all():
                break
            v = values[row + feature[at]]
            go_left = np.where(np.isnan(v), missing_left[at], v <= threshold[at])
            at = np.where(leaf, at, first + np.where(go_left, left[at], right[at]))
        return self.baseline + self.value.ravel()[at].sum(axis=1)


@dataclass(frozen=True)
class Network:
    """A small fully connected network (ReLU hidden layers, linear output) on the standardised,
    clipped features ``z``: ``h = relu(h @ W + b)`` per hidden layer and ``h @ W + b`` at the end."""

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
class Linear:
    """A ridge regression on the standardised, clipped features: ``z @ coef + intercept``."""

    coef: np.ndarray
    intercept: float

    def predict(self, z: np.ndarray) -> np.ndarray:
        return np.atleast_2d(z) @ self.coef + self.intercept


@dataclass(frozen=True)
class Blend:
    """The mean of the trees' prediction (raw features) and the network's (clipped ``z``)."""

    trees: Trees
    network: Network


Target = Linear | Trees | Blend
"""One target's model, as the training command chose it."""


def _target(data: dict, n_features: int) -> Target:
    """One target of the model file: its network and trees, its trees, or its linear model."""
    coef = np.asarray(data["coef"], float)
    if coef.shape != (n_features,):
        raise ModelFileError("the model file's arrays do not match its feature list")
    if "network" in data:
        if "trees" not in data:
            raise ModelFileError("the model file has a network without trees")
        return Blend(Trees.from_dict(data["trees"]), Network.from_dict(data["network"], n_features))
    if "trees" in data:
        return Trees.from_dict(data["trees"])
    return Linear(coef, float(data["intercept"]))


@dataclass(frozen=True)
class Model:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    targets: Mapping[str, Target]
    """Per target name (``pelvic_tilt``, ``lumbar_lordosis``), its model."""
    ood_limit: float
    class_sd: float
    errors: dict
    training: dict
    clip: float = np.inf
    """Standardised features are clipped to +-clip before the linear model and the network (one
    stray feature, a failed front edge say, cannot swing the estimate far)."""

    @classmethod
    def from_dict(cls, data: dict, expected_features: tuple[str, ...] | None = None) -> Model:
        if data.get("format") != FORMAT:
            raise ModelFileError("not a posture estimator model file")
        features = tuple(data["features"])
        if expected_features is not None and features != tuple(expected_features):
            raise ModelFileError("the model file was made for other features")
        n = len(features)
        mean, scale = np.asarray(data["mean"], float), np.asarray(data["scale"], float)
        if mean.shape != (n,) or scale.shape != (n,):
            raise ModelFileError("the model file's arrays do not match its feature list")
        return cls(
            version=str(data["version"]),
            features=features,
            mean=mean,
            scale=scale,
            targets={k: _target(v, n) for k, v in data["targets"].items()},
            ood_limit=float(data["ood_limit"]),
            class_sd=float(data["class_sd"]),
            errors=dict(data.get("errors", {})),
            training=dict(data.get("training", {})),
            clip=float(data.get("clip", np.inf)),
        )

    @classmethod
    def load(cls, path: Path, expected_features: tuple[str, ...] | None = None) -> Model:
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise ModelFileError(f"cannot read the model file {path}: {error}") from error
        return cls.from_dict(data, expected_features)

    def standardise(self, features: np.ndarray) -> np.ndarray:
        """Standardised features (S, F); a feature that could not be read counts as the mean."""
        z = (np.asarray(features, float) - self.mean) / self.scale
        return np.where(np.isfinite(z), z, 0.0)

    def predict(self, features: np.ndarray) -> Estimate:
        """The estimate for one feature vector (F,)."""
        values = self.predict_many(np.asarray(features, float)[None, :])
        return Estimate(
            tilt=float(values["pelvic_tilt"][0]),
            lumbar=float(values["lumbar_lordosis"][0]),
            ood=float(values["ood"][0]),
        )

    def predict_many(self, features: np.ndarray) -> dict[str, np.ndarray]:
        """Per target, the predictions for feature vectors (S, F); ``ood`` the RMS of ``z``."""
        x = np.atleast_2d(np.asarray(features, float))
        z = self.standardise(x)
        clipped = np.clip(z, -self.clip, self.clip)
        out = {"ood": np.sqrt(np.mean(z**2, axis=1))}
        for name, target in self.targets.items():
            if isinstance(target, Linear):
                out[name] = target.predict(clipped)
            elif isinstance(target, Trees):
                out[name] = target.predict(x)
            else:
                out[name] = 0.5 * (target.trees.predict(x) + target.network.predict(clipped))
        return out


@functools.cache
def shipped() -> Model:
    """The model shipped with the package (read once; raises ``ModelFileError`` when bad)."""
    from posture.measure import outline

    return Model.load(MODEL_FILE, outline.FEATURE_NAMES)
