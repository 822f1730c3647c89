"""Pose: the only package that imports MediaPipe.

``from posture.pose import PoseEstimator, ModelUnavailable`` is the public interface; the model
files and their SHA-256 check are in ``posture.pose.models``.
"""

from posture.pose.estimator import PoseEstimator
from posture.pose.models import MODEL_FILES, ModelUnavailable, model_path

__all__ = ["MODEL_FILES", "ModelUnavailable", "PoseEstimator", "model_path"]
