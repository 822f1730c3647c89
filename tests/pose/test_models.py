"""Model bundles: verified by SHA-256, rebuilt from PyPI wheels, clear errors when missing."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import zipfile
from pathlib import Path

import pytest

from posture import settings
from posture.pose import ModelUnavailable, model_path

REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def load_provide():
    spec = importlib.util.spec_from_file_location("provide", REPO_MODELS_DIR / "provide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("variant", ["full", "lite"])
def test_bundles_are_present_and_match_the_listed_digest(variant):
    path = model_path(variant)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest in (REPO_MODELS_DIR / "SHA256SUMS").read_text()
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == ["pose_detector.tflite", "pose_landmarks_detector.tflite"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in bundle.infolist())


def test_the_built_full_landmark_model_carries_the_metadata_the_tasks_api_needs():
    from mediapipe.tasks.metadata import schema_py_generated as tflite

    with zipfile.ZipFile(model_path("full")) as bundle:
        data = bundle.read("pose_landmarks_detector.tflite")
    model = tflite.Model.GetRootAsModel(data, 0)
    names = [model.Metadata(i).Name() for i in range(model.MetadataLength())]
    assert b"TFLITE_METADATA" in names


def test_a_damaged_bundle_is_refused_with_the_command_to_run(tmp_path):
    shutil.copy(REPO_MODELS_DIR / "SHA256SUMS", tmp_path / "SHA256SUMS")
    (tmp_path / "pose_landmarker_full.task").write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="python models/provide.py"):
        model_path("full", models_dir=tmp_path)


def test_a_missing_bundle_is_refused_with_the_command_to_run(tmp_path):
    with pytest.raises(ModelUnavailable, match="missing. Run: python models/provide.py"):
        model_path("lite", models_dir=tmp_path)


def test_check_mode_reports_present_bundles():
    assert load_provide().main(["--check"]) == 0


def test_metadata_copy_is_idempotent():
    provide = load_provide()
    with zipfile.ZipFile(model_path("lite")) as bundle:
        landmarks = bundle.read("pose_landmarks_detector.tflite")
    assert provide.copy_tflite_metadata(landmarks, landmarks) == landmarks


def test_written_bundles_are_reproducible():
    provide = load_provide()
    members = {"b.tflite": b"two", "a.tflite": b"one"}
    assert provide.write_bundle(members) == provide.write_bundle(dict(reversed(members.items())))


def test_the_models_folder_is_the_checkouts_unless_the_setting_names_another(monkeypatch, tmp_path):
    monkeypatch.delenv("POSTURE_MODELS_DIR", raising=False)
    assert settings.models_dir() == REPO_MODELS_DIR
    monkeypatch.setenv("POSTURE_MODELS_DIR", str(tmp_path))
    assert settings.models_dir() == tmp_path
    with pytest.raises(ModelUnavailable, match="POSTURE_MODELS_DIR"):
        model_path("full")
