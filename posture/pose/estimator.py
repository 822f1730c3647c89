"""The only module that imports MediaPipe: model files and the pose estimator.

``PoseEstimator`` owns one MediaPipe ``PoseLandmarker``. ``detect(rgb)`` is for photos (IMAGE
mode); ``detect_video(rgb, timestamp_ms)`` for camera streams (VIDEO mode, timestamps must
increase). Both return a ``posture.types.Pose`` with landmarks in pixels. A lock makes one
estimator safe to share between threads (Streamlit sessions); calls are serialised.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path

import numpy as np

from posture import settings
from posture.pose import usage_logging
from posture.pose.models import MODEL_FILES, read_verified
from posture.types import Landmarks, Pose

WARM_UP_PERSON = Path(__file__).resolve().parent / "data" / "warmup_person.npy"
"""A 54×96 RGB side view of a rendered person (from samples/synthetic_neutral.jpg, which the
project made): MediaPipe logs some native messages only on its first detected person, so the
warm-up shows it one while those messages are silenced."""

MAX_PEOPLE = 2
"""Poses asked of MediaPipe: two are enough to know there is more than one person."""
MIN_DETECTION_CONFIDENCE = 0.3
"""Lower than MediaPipe's 0.5 so that a second, partly hidden person is still found (the
checks then decide whether it is really another person)."""


class PoseEstimator:
    """MediaPipe pose landmarks and person segmentation for photos or video frames.

    Parameters
    ----------
    variant : "full" (photos) or "lite" (live video).
    video : create the landmarker in VIDEO mode (use ``detect_video``) instead of IMAGE mode.
    max_people : poses to ask for; 2 lets the analyzer tell that several people are present.
    """

    def __init__(
        self,
        variant: str = "full",
        *,
        video: bool = False,
        max_people: int = MAX_PEOPLE,
        models_dir: Path | None = None,
    ):
        from mediapipe.tasks.python import BaseOptions, vision

        usage_logging.switch_off()  # before any task exists: MediaPipe would report usage
        self.variant = variant
        self.video = video
        self.model_name = MODEL_FILES[variant]
        _, model_bytes = read_verified(variant, models_dir)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=max_people,
            min_pose_detection_confidence=MIN_DETECTION_CONFIDENCE,
            output_segmentation_masks=True,
        )
        self._lock = threading.Lock()
        self._last_timestamp = -1
        self._create = lambda: vision.PoseLandmarker.create_from_options(options)
        with quiet_native_stderr():
            self._landmarker = self._create()
            self._warm_up()

    def _warm_up(self) -> None:
        """Detect once on a small person: MediaPipe starts its graph on the first call and logs
        some messages on its first detected person, both while they are silenced. In VIDEO mode a
        blank frame follows, so the tracker forgets the warm-up person before the first real frame."""
        person = np.load(WARM_UP_PERSON)
        if self.video:
            self.detect_video(person, 0)
            self.detect_video(np.zeros_like(person), 1)
        else:
            self.detect(person)

    def detect(self, rgb: np.ndarray) -> Pose:
        """Pose of every person in an upright RGB uint8 (H, W, 3) photo."""
        if self.video:
            raise RuntimeError("this estimator is in VIDEO mode: use detect_video")
        image = _to_mp_image(rgb)
        with self._lock:
            result = self._guarded(lambda: self._landmarker.detect(image))
        return _to_pose(result, rgb.shape)

    def detect_video(self, rgb: np.ndarray, timestamp_ms: int) -> Pose:
        """Pose in one video frame. Timestamps (ms) must increase; repeats are nudged forward."""
        if not self.video:
            raise RuntimeError("this estimator is in IMAGE mode: use detect")
        image = _to_mp_image(rgb)
        with self._lock:
            timestamp_ms = max(int(timestamp_ms), self._last_timestamp + 1)
            self._last_timestamp = timestamp_ms
            result = self._guarded(lambda: self._landmarker.detect_for_video(image, timestamp_ms))
        return _to_pose(result, rgb.shape)

    def _guarded(self, call):
        """Run a detection; if MediaPipe fails, start a fresh landmarker before raising.

        A failed MediaPipe graph stays failed ("Graph has errors" on every later call), and
        the app shares one estimator between sessions: one bad input must not break it for
        everyone. ``_to_mp_image`` refuses the inputs known to do that (an empty picture);
        this is the net for any other. Called with the lock held.
        """
        if self._landmarker is None:
            raise RuntimeError("this estimator is closed")
        try:
            return call()
        except RuntimeError:
            broken, self._landmarker = self._landmarker, None
            with contextlib.suppress(Exception):
                broken.close()
            with quiet_native_stderr():
                self._landmarker = self._create()
            self._last_timestamp = -1
            raise

    def close(self) -> None:
        with self._lock:
            if self._landmarker is not None:
                self._landmarker.close()
                self._landmarker = None

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def quiet_native_stderr():
    """Silence the C++ start-up messages MediaPipe and TensorFlow Lite print to stderr.

    They are informational (XNNPACK delegate, feedback tensors, the first person's landmark
    projection) and would bury the command's own messages. File descriptor 2 is redirected
    only while an estimator is created and warmed up, never around a detection; Python's
    ``sys.stderr`` is flushed first so nothing of ours is lost. (GLOG_minloglevel and
    TF_CPP_MIN_LOG_LEVEL do not silence them: checked with mediapipe 1.2.2.) Set
    POSTURE_NATIVE_LOGS=1 to see them.
    """
    if settings.native_logs():
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

    if not isinstance(rgb, np.ndarray) or rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(
            f"expected RGB uint8 (H, W, 3), got {getattr(rgb, 'dtype', type(rgb))} "
            f"{getattr(rgb, 'shape', '')}"
        )
    if rgb.shape[0] < 1 or rgb.shape[1] < 1:  # an empty picture breaks MediaPipe's graph for good
        raise ValueError(f"expected a picture at least 1x1, got {rgb.shape[1]}x{rgb.shape[0]}")
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


def _to_pose(result, shape: tuple[int, ...]) -> Pose:
    """Convert MediaPipe's result (normalised coordinates) to pixels: the one conversion."""
    height, width = shape[:2]
    people = []
    for landmarks in result.pose_landmarks:
        raw = np.array(
            [(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in landmarks], dtype=np.float64
        )
        xy = raw[:, :2] * np.array([width, height], dtype=np.float64)
        people.append(
            Landmarks(
                xy=xy,
                z=raw[:, 2] * width,
                visibility=raw[:, 3],
                presence=raw[:, 4],
                image_size=(width, height),
            )
        )
    mask = None
    if result.segmentation_masks:
        mask = np.array(result.segmentation_masks[0].numpy_view(), dtype=np.float32).reshape(height, width)
    return Pose(people=tuple(people), mask=mask, image_size=(width, height))
