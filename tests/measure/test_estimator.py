"""The estimator's model file: evaluated with numpy exactly as written, unread features count as
the training mean, class probabilities add up to one (no pose model needed)."""

import json

import numpy as np
import pytest

from posture.measure import outline
from posture.measure.estimator import FORMAT, Model, ModelFileError, class_probabilities

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
    data = tiny_model()
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    model = Model.load(path, outline.FEATURE_NAMES)
    x = np.linspace(-1, 1, N)
    z = (x - np.array(data["mean"])) / np.array(data["scale"])
    expected = z @ np.array(data["targets"]["pelvic_tilt"]["coef"]) + 11.0
    assert model.predict(x).tilt == pytest.approx(expected)


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


@pytest.mark.parametrize("tilt", [-10.0, 4.0, 11.0, 18.0, 30.0])
def test_class_probabilities_add_up_to_one(tilt):
    p = class_probabilities(tilt, 5.0, 4.0, 18.0)
    assert sum(p) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in p)


def test_the_evaluation_uses_the_apps_class_thresholds():
    from benchmarks.fit import evaluate
    from posture.assess import DEFAULT

    assert (evaluate.POSTERIOR_BELOW, evaluate.ANTERIOR_ABOVE) == (
        DEFAULT.posterior_below,
        DEFAULT.anterior_above,
    )
