"""Pose: the only package that imports MediaPipe.

``from posture.pose import PoseEstimator, ModelUnavailable`` is the public interface; the model
files and their SHA-256 check are in ``posture.pose.models``, the guard against MediaPipe's
usage reports (``switch_off_usage_reports``, which ``PoseEstimator`` calls) in
``posture.pose.usage_logging``.
"""

from posture.pose.estimator import PoseEstimator
from posture.pose.models import MODEL_FILES, ModelUnavailable, model_path
from posture.pose.usage_logging import UsageLoggingOn
from posture.pose.usage_logging import switch_off as switch_off_usage_reports

__all__ = [
    "MODEL_FILES",
    "ModelUnavailable",
    "PoseEstimator",
    "UsageLoggingOn",
    "model_path",
    "switch_off_usage_reports",
]
