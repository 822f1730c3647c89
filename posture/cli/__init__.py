"""The ``posture`` command (``posture analyze``, ``posture routine``)."""

from posture.cli.main import main

__all__ = ["main"]
