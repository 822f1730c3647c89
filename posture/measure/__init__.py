"""Measures: geometry, the skeleton, the photo checks, landmark measures and the back outline.

Pure numpy: no MediaPipe, no OpenCV. ``measures.CONVENTIONS`` is the one table of every
measure's unit and sign.
"""
