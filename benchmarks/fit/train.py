"""Fit the tilt and lumbar estimator on training bodies; judge it on held-out bodies.

    python -m benchmarks.fit.train --data /work/data/bodies-s303 --seed 14 \
        --out posture/measure/data/estimator-v2.json [--cross /work/data/mesh-2026]

``--data`` is a data set (folder with ``index.jsonl``) whose images carry a train/test split by
body. Poses are detected once and cached (``benchmarks.fit.cache``, under the benchmark data
folder). For each target (clinical pelvic tilt, lumbar angle) three kinds of model are fitted on
the train bodies' features (``posture.measure.outline``): ridge regression on standardised
features (its penalty chosen by grouped cross-validation), gradient-boosted trees (``TREES``)
and the mean of those trees and a small network (``NETWORK``); the kind with the lowest
cross-validated MAE (folds by body, shuffled with ``--seed``) is kept. The class-probability
spread is the one that best predicts the true class in those cross-validated predictions
(log-likelihood). Then the model is judged on the test bodies (and on each ``--cross`` set, all
of whose images are test images) and the figures are written into the model file with the model.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.fit import dataset, evaluate
from posture.measure import outline
from posture.measure.estimator import class_probabilities
from posture.measure.fitted import FORMAT, Model, Network, Trees

ALPHAS = tuple(float(a) for a in np.logspace(-1, 4, 6))
TARGETS = {"pelvic_tilt": "tilt", "lumbar_lordosis": "lordosis"}
VERSION = "v2"


CLIP = 3.0
"""Standardised features are clipped to +-3 before the linear model."""
TREES = {
    "max_iter": 600,
    "learning_rate": 0.05,
    "max_leaf_nodes": 12,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}
"""Gradient boosting settings (fixed, not tuned on the test bodies; 600 rounds rather than 200
lowered the tilt's error on the training bodies' cross-validation)."""
NETWORK = {
    "hidden_layer_sizes": (128, 64),
    "alpha": 3.0,
    "max_iter": 2000,
    "early_stopping": True,
}
"""The small network of the "ensemble" kind (fixed, not tuned on the test bodies)."""


def _linear(alpha: float):
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return make_pipeline(
        SimpleImputer(keep_empty_features=True),
        StandardScaler(),
        FunctionTransformer(np.clip, kw_args={"a_min": -CLIP, "a_max": CLIP}),
        Ridge(alpha=alpha),
    )


def _trees(seed: int):
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(random_state=seed, early_stopping=False, **TREES)


def _network(seed: int):
    from sklearn.neural_network import MLPRegressor

    pipe = _linear(1.0)
    pipe.steps[-1] = ("mlpregressor", MLPRegressor(random_state=seed, **NETWORK))
    return pipe


def export_network(pipe, mean: np.ndarray, scale: np.ndarray) -> dict:
    """A fitted ``_network`` pipeline as the plain arrays of ``estimator.Network``; its
    standardisation must be the model file's (``mean``, ``scale``)."""
    scaler, mlp = pipe.steps[1][1], pipe.steps[-1][1]
    assert np.allclose(scaler.mean_, mean) and np.allclose(scaler.scale_, scale), "scaling differs"
    return {
        "weights": [[[_sig(v) for v in row] for row in w] for w in mlp.coefs_],
        "biases": [[_sig(v) for v in b] for b in mlp.intercepts_],
    }


def fit_target(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int, kind: str
) -> tuple[dict, np.ndarray, float]:
    """``kind`` "linear": ridge on standardised, mean-imputed, clipped features, the penalty
    chosen by grouped CV; "trees": gradient boosting (``TREES``); "ensemble": the mean of those
    trees and a small network (``NETWORK``). Returns the exported model, the cross-validated
    predictions (folds by body) and their MAE."""
    from sklearn.model_selection import GroupKFold, cross_val_predict

    folds = GroupKFold(n_splits=min(5, len(set(groups))), shuffle=True, random_state=seed)
    if kind == "ensemble":
        trees, tree_cv, _ = fit_target(X, y, groups, seed, "trees")
        net_cv = cross_val_predict(_network(seed), X, y, groups=groups, cv=folds)
        network = _network(seed).fit(X, y)
        scaler = network.steps[1][1]
        exported = trees | {"network": export_network(network, scaler.mean_, scaler.scale_)}
        check = X[: min(len(X), 200)]
        z = np.clip(np.nan_to_num((check - scaler.mean_) / scaler.scale_, nan=0.0), -CLIP, CLIP)
        plain = Network.from_dict(exported["network"], X.shape[1]).predict(z)
        assert np.allclose(plain, network.predict(check), atol=0.01), "network export differs"
        cv_pred = 0.5 * (tree_cv + net_cv)
        return exported, cv_pred, float(np.mean(np.abs(cv_pred - y)))
    if kind == "trees":
        cv_pred = cross_val_predict(_trees(seed), X, y, groups=groups, cv=folds)
        model = _trees(seed).fit(X, y)
        exported = {"trees": export_trees(model)}
        check = X[: min(len(X), 200)]
        plain = Trees.from_dict(exported["trees"]).predict(check)
        assert np.allclose(plain, model.predict(check), atol=0.01), "tree export differs"
        return exported, cv_pred, float(np.mean(np.abs(cv_pred - y)))
    best = None
    for alpha in ALPHAS:
        pred = cross_val_predict(_linear(alpha), X, y, groups=groups, cv=folds)
        mae = float(np.mean(np.abs(pred - y)))
        if best is None or mae < best[0]:
            best = (mae, alpha, pred)
    mae, alpha, cv_pred = best
    pipe = _linear(alpha).fit(X, y)
    imputer, scaler, ridge = pipe.steps[0][1], pipe.steps[1][1], pipe.steps[-1][1]
    # imputed mean == scaler mean, so the app's "unread feature counts as the mean" matches
    assert np.allclose(imputer.statistics_, scaler.mean_, equal_nan=True)
    return ({"coef": ridge.coef_, "intercept": float(ridge.intercept_), "alpha": alpha}, cv_pred, mae)


def _sig(x: float, digits: int = 6) -> float:
    """``x`` to ``digits`` significant digits (thresholds are kept exact: a sample can lie on one)."""
    return float(f"{x:.{digits}g}")


def export_trees(model) -> dict:
    """A fitted HistGradientBoostingRegressor as padded plain arrays (``model.Trees``)."""
    nodes = [predictors[0].nodes for predictors in model._predictors]
    n = max(len(t) for t in nodes)
    shape = (len(nodes), n)
    feature, left, right = (np.zeros(shape, int) for _ in range(3))
    threshold, value = np.zeros(shape), np.zeros(shape)
    missing_left, leaf = np.zeros(shape, int), np.ones(shape, int)
    for t, tree in enumerate(nodes):
        k = len(tree)
        feature[t, :k], threshold[t, :k] = tree["feature_idx"], tree["num_threshold"]
        left[t, :k], right[t, :k], value[t, :k] = tree["left"], tree["right"], tree["value"]
        missing_left[t, :k], leaf[t, :k] = tree["missing_go_to_left"], tree["is_leaf"]
    value = np.where(leaf == 1, value, 0.0)  # only leaves' values are used
    threshold = np.where(leaf == 1, 0.0, threshold)  # only split nodes' thresholds are
    feature = np.where(leaf == 1, 0, feature)
    return {
        "baseline": _sig(float(np.ravel(model._baseline_prediction)[0]), 8),
        "depth": int(max(int(tree["depth"].max()) for tree in nodes)),
        "feature": feature.tolist(),
        "threshold": [[float(v) if v else 0 for v in row] for row in threshold],
        "left": left.tolist(),
        "right": right.tolist(),
        "missing_left": missing_left.tolist(),
        "leaf": leaf.tolist(),
        "value": [[_sig(v) for v in row] for row in value],
    }


def class_sd(cv_tilt: np.ndarray, true_tilt: np.ndarray) -> float:
    """The error SD whose class probabilities best predict the true class (max log-likelihood)."""
    truth = [evaluate.CLASSES.index(evaluate.true_class(t)) for t in true_tilt]
    best = None
    for sd in np.arange(1.0, 15.01, 0.1):
        ll = sum(
            np.log(
                max(1e-6, class_probabilities(p, sd, evaluate.POSTERIOR_BELOW, evaluate.ANTERIOR_ABOVE)[c])
            )
            for p, c in zip(cv_tilt, truth)
        )
        if best is None or ll > best[0]:
            best = (ll, float(sd))
    return round(best[1], 2)


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def compact_json(data: dict) -> str:
    """One top-level key per line, each value without spaces (the tree arrays are large)."""
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def error_figures(fig: dict) -> dict:
    """The figures the app reads (comparison limits, class confidence, reports)."""

    def r(x, d=2):
        return None if x is None else round(float(x), d)

    return {
        "tilt_change_sd": r(fig["tilt_change"].get("sd")),
        "tilt_change_limit": r(fig["tilt_change"].get("limit_1.96sd")),
        "tilt_change_mae": r(fig["tilt_change"].get("mae")),
        "tilt_absolute_sd": r(fig["tilt_absolute"].get("sd")),
        "tilt_absolute_mae": r(fig["tilt_absolute"].get("mae")),
        "lumbar_absolute_mae": r(fig["lumbar_absolute"].get("mae")),
        "lumbar_absolute_sd": r(fig["lumbar_absolute"].get("sd")),
        "lumbar_change_sd": r(fig["lumbar_change"].get("sd")),
        "tilt_change_sd_varied_setup": r(fig["tilt_change_varied"].get("sd")),
        "tilt_change_limit_varied_setup": r(fig["tilt_change_varied"].get("limit_1.96sd")),
        "class_accuracy": r(fig["class_accuracy"], 3),
        "calibration_gap": r(fig["calibration_gap"], 3),
        "share_measured": r(fig["share_measured"], 3),
        "test_images": fig["measured"],
        "test_bodies": fig["bodies"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        action="append",
        help="data set with a train/test split by body (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--cross",
        type=Path,
        action="append",
        default=[],
        help="cross-domain test set (every image a test image)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="use only the images already in the pose cache (a batch still being written)",
    )
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["linear", "trees"],
        help="model kinds to try per target; the one with the lowest "
        "cross-validated MAE on the training bodies is kept. 'ensemble' (trees and a network) "
        "is 4%% better on held-out renders but reads real video frames less steadily "
        "(docs/METHOD.md), so it is not tried unless asked for",
    )
    parser.add_argument(
        "--test-every",
        type=int,
        default=0,
        help="ignore the index's split: every n-th body (sorted ids) is a test body",
    )
    parser.add_argument(
        "--report", type=Path, default=None, help="also write the full evaluation (JSON) here"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tables = [dataset.load(d, workers=args.workers, ensure_cache=not args.cached_only) for d in args.data]
    records = [r for t in tables for r in t.records]
    X = np.vstack([t.features for t in tables])
    status = [s for t in tables for s in t.status]
    readable = np.array([s == "ok" for s in status]) & np.isfinite(X).any(axis=1)
    if args.test_every:
        bodies = sorted({r["body"] for r in records})
        for r in records:
            r["split"] = "test" if bodies.index(r["body"]) % args.test_every == 0 else "train"
    split = np.array([r["split"] for r in records])
    train = readable & (split == "train")
    groups = np.array([r["body"] for r in records])
    print(f"{train.sum()} training images of {len(set(groups[train]))} bodies")

    truth = {t: np.array([r[key] for r in records], float) for t, key in TARGETS.items()}
    train &= np.isfinite(truth["pelvic_tilt"]) & np.isfinite(truth["lumbar_lordosis"])
    targets, cv, choice = {}, {}, {}
    for target in TARGETS:
        y = truth[target][train]
        fits = {kind: fit_target(X[train], y, groups[train], args.seed, kind) for kind in args.kinds}
        for kind, (_, _, mae) in fits.items():
            print(f"{target}: {kind} cross-validated MAE {mae:.2f}")
        best = min(fits, key=lambda k: fits[k][2])
        choice[target] = {kind: round(fits[kind][2], 3) for kind in fits} | {"chosen": best}
        linear = fits.get("linear") or (fit_target(X[train], y, groups[train], args.seed, "linear"))
        targets[target] = {
            "coef": [round(float(v), 6) for v in linear[0]["coef"]],
            "intercept": round(linear[0]["intercept"], 6),
            "alpha": linear[0]["alpha"],
        }
        if best in ("trees", "ensemble"):
            targets[target]["trees"] = fits[best][0]["trees"]
        if best == "ensemble":
            targets[target]["network"] = fits[best][0]["network"]
        cv[target] = fits[best][1]
    sd = class_sd(cv["pelvic_tilt"], truth["pelvic_tilt"][train])
    scaler = _linear(1.0).fit(X[train], truth["pelvic_tilt"][train]).steps[1][1]
    mean, scale = scaler.mean_, scaler.scale_
    z = np.clip(np.where(np.isfinite(X[train]), (X[train] - mean) / scale, 0.0), -50, 50)
    ood = np.sqrt(np.mean(z**2, axis=1))
    data = {
        "format": FORMAT,
        "version": VERSION,
        "features": list(outline.FEATURE_NAMES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "clip": CLIP,
        "targets": targets,
        "ood_limit": round(float(np.percentile(ood, 99.5) * 1.25), 3),
        "class_sd": sd,
        "training": {
            "command": "python -m benchmarks.fit.train " + " ".join(sys.argv[1:] if argv is None else argv),
            "data": [str(d) for d in args.data],
            "seed": args.seed,
            "train_images": int(train.sum()),
            "train_bodies": len(set(groups[train])),
            "cross_validated_mae": choice,
            "trees": TREES,
            "commit": _git_commit(),
            "date": time.strftime("%Y-%m-%d"),
        },
    }
    model = Model.from_dict(data, outline.FEATURE_NAMES)
    check = X[train][:200]
    for target in TARGETS:
        if "network" in targets[target]:
            plain = model.predict_many(check)[target]
            assert np.all(np.isfinite(plain)), "network export gives non-finite values"
    report = {}
    test_idx = [i for i, s in enumerate(split) if s == "test"]
    all_readings = [row for t in tables for row in dataset.readings(model, t)]
    test = evaluate.figures([records[i] for i in test_idx], [all_readings[i] for i in test_idx], sd)
    report["held-out bodies"] = test
    for cross in args.cross:
        table = dataset.load(cross, workers=args.workers, ensure_cache=not args.cached_only, all_test=True)
        report[f"cross-domain {table.name}"] = evaluate.figures(
            table.records, dataset.readings(model, table), sd
        )
    data["errors"] = {
        "version": 1,
        "model": "pose_landmarker_full.task",
        "estimator": f"estimator-{VERSION}",
        "source": "held-out test bodies of " + ", ".join(str(d) for d in args.data),
        "date": time.strftime("%Y-%m-%d"),
        "change_pairs": test["tilt_change"]["n"],
        "class_sd": sd,
        **error_figures(test),
    }
    data["errors_cross_domain"] = {k: error_figures(v) for k, v in report.items() if k.startswith("cross")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(compact_json(data))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=1, default=float) + "\n")
    for name, fig in report.items():
        e = error_figures(fig)
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in e.items()))
    print(
        f"class SD {sd}; wrote {args.out} ({args.out.stat().st_size // 1024} KB) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
