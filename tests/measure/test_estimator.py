"""The estimator's model file: evaluated with numpy exactly as written, unread features count as
the training mean, class probabilities add up to one (no pose model needed)."""

import json

import numpy as np
import pytest

from posture.measure import outline
from posture.measure.estimator import class_probabilities
from posture.measure.fitted import FORMAT, Model, ModelFileError
from posture.types import Decline

N = len(outline.FEATURE_NAMES)


def tiny_model(**changes) -> dict:
    rng = np.random.default_rng(0)
    data = {
        "format": FORMAT,
        "version": "test",
        "features": list(outline.FEATURE_NAMES),
        "mean": rng.normal(size=N).tolist(),
        "scale": rng.uniform(0.5, 2, N).tolist(),
        "targets": {
            "pelvic_tilt": {"coef": rng.normal(size=N).tolist(), "intercept": 11.0},
            "lumbar_lordosis": {"coef": rng.normal(size=N).tolist(), "intercept": 48.0},
        },
        "ood_limit": 3.0,
        "class_sd": 5.0,
    }
    data.update(changes)
    return data


def test_prediction_is_the_linear_model_on_standardised_features(tmp_path):
    """Means 1, scales 2; tilt = 3·z0 − z1 + 11, lumbar = 48 (no weights). At x0 = 5, x1 = -1
    and the rest at the mean: z = (2, -1, 0, ...), tilt = 6 + 1 + 11 = 18°, and the
    distance from the training data is the root mean square of z, sqrt(5 / N)."""
    coef = np.zeros(N)
    coef[:2] = (3.0, -1.0)
    data = tiny_model(mean=[1.0] * N, scale=[2.0] * N)
    data["targets"]["pelvic_tilt"]["coef"] = coef.tolist()
    data["targets"]["lumbar_lordosis"]["coef"] = [0.0] * N
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    model = Model.load(path, outline.FEATURE_NAMES)
    x = np.ones(N)
    x[:2] = (5.0, -1.0)
    estimate = model.predict(x)
    assert estimate.tilt == pytest.approx(18.0)
    assert estimate.lumbar == pytest.approx(48.0)
    assert estimate.ood == pytest.approx(np.sqrt(5 / N))


def test_an_unread_feature_counts_as_the_training_mean():
    data = tiny_model()
    model = Model.from_dict(data)
    x = np.array(data["mean"]) + 0.0
    x[5] = np.nan
    estimate = model.predict(x)
    assert estimate.tilt == pytest.approx(11.0)
    assert estimate.lumbar == pytest.approx(48.0)
    assert estimate.ood == pytest.approx(0.0)


def test_a_model_for_other_features_is_refused():
    with pytest.raises(ModelFileError):
        Model.from_dict(tiny_model(features=["a", "b"]), outline.FEATURE_NAMES)
    with pytest.raises(ModelFileError):
        Model.from_dict(tiny_model(format="other"))


@pytest.mark.parametrize(
    "tilt, expected",
    [
        # 7° = 1.4 SD from each threshold: Φ(−1.4) = 0.0808 on each side, 0.8385 between.
        (11.0, (0.0808, 0.8385, 0.0808)),
        # 5° = 1 SD past the anterior threshold: Φ(1) = 0.8413; 19° = 3.8 SD from the posterior one.
        (23.0, (0.0001, 0.1586, 0.8413)),
        # On the posterior threshold: half below it; 14° = 2.8 SD below the anterior one.
        (4.0, (0.5, 0.4974, 0.0026)),
    ],
)
def test_class_probabilities_by_hand(tilt, expected):
    p = class_probabilities(tilt, 5.0, 4.0, 18.0)
    assert p == pytest.approx(expected, abs=0.0001)
    assert sum(p) == pytest.approx(1.0)


def test_the_evaluation_uses_the_apps_class_thresholds():
    from benchmarks.fit import evaluate
    from posture.assess import DEFAULT

    assert (evaluate.POSTERIOR_BELOW, evaluate.ANTERIOR_ABOVE) == (
        DEFAULT.posterior_below,
        DEFAULT.anterior_above,
    )


def _stump(value: float) -> dict:
    """Trees that always answer ``value`` (one leaf)."""
    return {
        "baseline": value,
        "depth": 0,
        "feature": [[0]],
        "threshold": [[0.0]],
        "left": [[0]],
        "right": [[0]],
        "missing_left": [[0]],
        "leaf": [[1]],
        "value": [[0.0]],
    }


def test_a_network_is_averaged_with_the_trees_by_hand():
    """Tilt = mean of the trees (10°) and the network: hidden unit relu(2·z0 − 1), output
    3·h + 4. At z0 = 2: h = 3, network 13°, estimate 11.5°; at z0 = 0: h = 0, network 4°,
    estimate 7°. Features beyond the first have zero weight; the clip is ±3."""
    data = tiny_model(mean=[0.0] * N, scale=[1.0] * N, clip=3.0)
    w1 = np.zeros((N, 1))
    w1[0, 0] = 2.0
    data["targets"]["pelvic_tilt"] |= {
        "trees": _stump(10.0),
        "network": {"weights": [w1.tolist(), [[3.0]]], "biases": [[-1.0], [4.0]]},
    }
    model = Model.from_dict(data, outline.FEATURE_NAMES)
    x = np.zeros(N)
    assert model.predict(x).tilt == pytest.approx(7.0)
    x[0] = 2.0
    assert model.predict(x).tilt == pytest.approx(11.5)
    x[0] = 50.0  # clipped to 3: h = 5, network 19°, estimate 14.5°
    assert model.predict(x).tilt == pytest.approx(14.5)


def test_a_network_with_mismatched_arrays_is_refused():
    data = tiny_model()
    data["targets"]["pelvic_tilt"] |= {
        "trees": _stump(10.0),
        "network": {"weights": [np.zeros((N - 1, 2)).tolist(), [[1.0], [1.0]]], "biases": [[0, 0], [0]]},
    }
    with pytest.raises(ModelFileError):
        Model.from_dict(data)


def test_the_estimate_is_the_mean_over_the_readable_mask_levels():
    """``combine``: the first (unshifted) level decides; the others are averaged in when they
    are readable and not declined. Linear tilt = 2·x0 + 11 on standardised features."""
    from posture.measure.estimator import combine

    coef = np.zeros(N)
    coef[0] = 2.0
    data = tiny_model(mean=[0.0] * N, scale=[1.0] * N, ood_limit=1.0)
    data["targets"]["pelvic_tilt"] = {"coef": coef.tolist(), "intercept": 11.0}
    model = Model.from_dict(data)
    a, b, c = np.zeros(N), np.zeros(N), np.zeros(N)
    b[0], c[0] = 1.0, -0.5  # tilts 11, 13 and 10
    estimate, reason = combine(model, [a, b, c])
    assert reason is None and estimate.tilt == pytest.approx((11 + 13 + 10) / 3)
    estimate, _ = combine(model, [a, None, c])  # one level unreadable: left out
    assert estimate.tilt == pytest.approx((11 + 10) / 2)
    far = np.full(N, 5.0)  # out of range: a shifted level is left out ...
    estimate, _ = combine(model, [a, far, c])
    assert estimate.tilt == pytest.approx((11 + 10) / 2)
    estimate, reason = combine(model, [far, a, c])  # ... the first one declines the photo
    assert estimate is None and reason is Decline.OUT_OF_RANGE
