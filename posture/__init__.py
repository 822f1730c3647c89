"""Posture analyzer: pelvic tilt and lumbar lordosis estimates from a side-view photo.

The entry point is ``posture.analyze.analyze``; see README.md.
"""

__version__ = "0.1.0"
