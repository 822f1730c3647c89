"""The only module that imports MediaPipe: model files and the pose estimator.

``PoseEstimator`` owns one MediaPipe ``PoseLandmarker``. ``detect(rgb)`` is for photos (IMAGE
mode); ``detect_video(rgb, timestamp_ms)`` for camera streams (VIDEO mode, timestamps must
increase). Both return a ``posture.types.Pose`` with landmarks in pixels. A lock makes one
estimator safe to share between threads (Streamlit sessions); calls are serialised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from pathlib import Path

import numpy as np

from posture.types import Landmarks, Pose

REPO_MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
MODEL_FILES = {"full": "pose_landmarker_full.task", "lite": "pose_landmarker_lite.task"}
PROVIDE_COMMAND = "python models/provide.py"

MAX_PEOPLE = 2
"""Poses asked of MediaPipe: two are enough to know there is more than one person."""
MIN_DETECTION_CONFIDENCE = 0.3
"""Lower than MediaPipe's 0.5 so that a second, partly hidden person is still found (the
checks then decide whether it is really another person)."""


class ModelUnavailable(RuntimeError):
    """The model bundle is missing or not the verified file."""


def default_models_dir() -> Path:
    """Where the model bundles are: $POSTURE_MODELS_DIR if set, else the repository's models/."""
    return Path(os.environ.get("POSTURE_MODELS_DIR") or REPO_MODELS_DIR)


def model_path(variant: str = "full", *, models_dir: Path | None = None) -> Path:
    """The verified bundle for ``variant`` ("full" or "lite").

    Raises ``ModelUnavailable`` naming the command that provides it when the file is absent
    or its SHA-256 is not listed in ``models/SHA256SUMS``.
    """
    return _read_verified(variant, models_dir)[0]


def _read_verified(variant: str, models_dir: Path | None) -> tuple[Path, bytes]:
    """The bundle's path and bytes, read once and checked against ``SHA256SUMS``."""
    if variant not in MODEL_FILES:
        raise ValueError(f"model must be one of {sorted(MODEL_FILES)}, got {variant!r}")
    models_dir = models_dir or default_models_dir()
    path = models_dir / MODEL_FILES[variant]
    if not path.is_file():
        raise ModelUnavailable(f"The pose model {path.name} is missing. Run: {PROVIDE_COMMAND}")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() not in _known_digests(models_dir).get(path.name, set()):
        raise ModelUnavailable(f"The pose model {path.name} does not match models/SHA256SUMS "
                               f"(it may be damaged). Delete it and run: {PROVIDE_COMMAND}")
    return path, data


def _known_digests(models_dir: Path) -> dict[str, set[str]]:
    sums: dict[str, set[str]] = {}
    sums_file = models_dir / "SHA256SUMS"
    if sums_file.is_file():
        for line in sums_file.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                digest, name = line.split()
                sums.setdefault(name, set()).add(digest.lower())
    return sums


class PoseEstimator:
    """MediaPipe pose landmarks and person segmentation for photos or video frames.

    Parameters
    ----------
    variant : "full" (photos) or "lite" (live video).
    video : create the landmarker in VIDEO mode (use ``detect_video``) instead of IMAGE mode.
    max_people : poses to ask for; 2 lets the analyzer tell that several people are present.
    """

    def __init__(self, variant: str = "full", *, video: bool = False, max_people: int = MAX_PEOPLE,
                 models_dir: Path | None = None):
        from mediapipe.tasks.python import BaseOptions, vision

        self.variant = variant
        self.video = video
        self.model_name = MODEL_FILES[variant]
        _, model_bytes = _read_verified(variant, models_dir)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=max_people,
            min_pose_detection_confidence=MIN_DETECTION_CONFIDENCE,
            output_segmentation_masks=True,
        )
        self._lock = threading.Lock()
        self._last_timestamp = -1
        self._quiet = True  # until MediaPipe has logged its first-person messages
        with quiet_native_stderr():
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
            self._warm_up()

    def _warm_up(self) -> None:
        """One detect on a blank frame: MediaPipe starts its graph (and logs) on the first call."""
        blank = np.zeros((64, 64, 3), dtype=np.uint8)
        if self.video:
            self.detect_video(blank, 0)
        else:
            self.detect(blank)

    def detect(self, rgb: np.ndarray) -> Pose:
        """Pose of every person in an upright RGB uint8 (H, W, 3) photo."""
        if self.video:
            raise RuntimeError("this estimator is in VIDEO mode: use detect_video")
        image = _to_mp_image(rgb)
        with self._lock:
            result = self._run(lambda: self._landmarker.detect(image))
        return _to_pose(result, rgb.shape)

    def detect_video(self, rgb: np.ndarray, timestamp_ms: int) -> Pose:
        """Pose in one video frame. Timestamps (ms) must increase; repeats are nudged forward."""
        if not self.video:
            raise RuntimeError("this estimator is in IMAGE mode: use detect")
        image = _to_mp_image(rgb)
        with self._lock:
            timestamp_ms = max(int(timestamp_ms), self._last_timestamp + 1)
            self._last_timestamp = timestamp_ms
            result = self._run(lambda: self._landmarker.detect_for_video(image, timestamp_ms))
        return _to_pose(result, rgb.shape)

    def _run(self, call):
        """Call MediaPipe, silencing its one-time native messages until a person was seen."""
        if not self._quiet:
            return call()
        with quiet_native_stderr():
            result = call()
        self._quiet = not result.pose_landmarks
        return result

    def close(self) -> None:
        with self._lock:
            if self._landmarker is not None:
                self._landmarker.close()
                self._landmarker = None

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def quiet_native_stderr():
    """Silence the C++ start-up messages MediaPipe and TensorFlow Lite print to stderr.

    They are informational (XNNPACK delegate, feedback tensors) and would bury the command's
    own messages. Only file descriptor 2 is redirected, only while the model starts; Python's
    ``sys.stderr`` is flushed first so nothing of ours is lost. Set POSTURE_NATIVE_LOGS=1 to
    see them.
    """
    if os.environ.get("POSTURE_NATIVE_LOGS") == "1":
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _to_mp_image(rgb: np.ndarray):
    import mediapipe as mp

    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected RGB uint8 (H, W, 3), got {rgb.dtype} {rgb.shape}")
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


def _to_pose(result, shape: tuple[int, ...]) -> Pose:
    """Convert MediaPipe's result (normalised coordinates) to pixels: the one conversion."""
    height, width = shape[:2]
    people = []
    for landmarks in result.pose_landmarks:
        raw = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in landmarks],
                       dtype=np.float64)
        xy = raw[:, :2] * np.array([width, height], dtype=np.float64)
        people.append(Landmarks(xy=xy, z=raw[:, 2] * width, visibility=raw[:, 3],
                                presence=raw[:, 4], image_size=(width, height)))
    mask = None
    if result.segmentation_masks:
        mask = np.array(result.segmentation_masks[0].numpy_view(), dtype=np.float32).reshape(height, width)
    return Pose(people=tuple(people), mask=mask, image_size=(width, height))
