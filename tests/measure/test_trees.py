"""Gradient-boosted trees as the model file holds them, walked by ``fitted.Trees.predict`` on a
tree built by hand: real splits, a value on a threshold, missing values going the way each
node learned, every answer worked out below."""

import numpy as np
import pytest

from posture.measure import outline
from posture.measure.fitted import Model, Trees
from tests.measure.test_estimator import tiny_model

NAN = float("nan")

HAND_BUILT = {
    # Tree 0: node 0 asks x0 <= 1.0 (missing: right) -> node 1 (leaf 10) or node 2;
    #         node 2 asks x1 <= -2.0 (missing: left) -> node 3 (leaf 20) or node 4 (leaf 30).
    # Tree 1: node 0 asks x1 <= 0.5 (missing: right) -> node 1 (leaf -1) or node 2 (leaf +1);
    #         nodes 3 and 4 are padding.
    "baseline": 100.0,
    "depth": 2,
    "feature": [[0, 0, 1, 0, 0], [1, 0, 0, 0, 0]],
    "threshold": [[1.0, 0, -2.0, 0, 0], [0.5, 0, 0, 0, 0]],
    "left": [[1, 0, 3, 0, 0], [1, 0, 0, 0, 0]],
    "right": [[2, 0, 4, 0, 0], [2, 0, 0, 0, 0]],
    "missing_left": [[0, 0, 1, 0, 0], [0, 0, 0, 0, 0]],
    "leaf": [[0, 1, 0, 1, 1], [0, 1, 1, 1, 1]],
    "value": [[0, 10.0, 0, 20.0, 30.0], [0, -1.0, 1.0, 0, 0]],
}

CASES = [
    # (x0, x1): tree 0 + tree 1 + baseline
    ((0.0, 0.0), 10 - 1 + 100),  # left; 0 <= 0.5 left
    ((1.0, 0.5), 10 - 1 + 100),  # on both thresholds: <= goes left
    ((2.0, -3.0), 20 - 1 + 100),  # right, then -3 <= -2 left; -3 <= 0.5 left
    ((5.0, 5.0), 30 + 1 + 100),  # right, right; right
    ((2.0, NAN), 20 + 1 + 100),  # right, missing goes left at node 2; missing goes right in tree 1
    ((NAN, -3.0), 20 - 1 + 100),  # missing goes right at the root, then -3 <= -2 left; left
    ((NAN, NAN), 20 + 1 + 100),  # right, left; right
]


@pytest.mark.parametrize(("x", "expected"), CASES)
def test_one_sample_reaches_the_leaves_worked_out_by_hand(x, expected):
    assert Trees.from_dict(HAND_BUILT).predict(np.array([x])) == pytest.approx([expected], abs=0)


def test_many_samples_at_once_give_each_samples_own_answer():
    x = np.array([x for x, _ in CASES])
    assert Trees.from_dict(HAND_BUILT).predict(x).tolist() == [expected for _, expected in CASES]


def test_a_model_of_trees_reads_the_raw_features_not_the_standardised_ones():
    """Mean 10, scale 2: x0 = 2 is z0 = -4. On the raw features tree 0 goes right at the root and
    x1 (unread) goes left at node 2 (20), tree 1 sends the missing x1 right (+1): 121. Read as
    ``z`` (an unread feature as the mean, z = 0) it would be 10 - 1 + 100 = 109."""
    n = len(outline.FEATURE_NAMES)
    data = tiny_model(mean=[10.0] * n, scale=[2.0] * n)
    data["targets"]["pelvic_tilt"]["trees"] = HAND_BUILT
    x = np.full(n, 10.0)
    x[0], x[1] = 2.0, NAN
    assert Model.from_dict(data).predict(x).tilt == 121.0
