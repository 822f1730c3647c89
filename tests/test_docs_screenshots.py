"""The README's screenshots of the comparison and the client chart exist, are PNGs and small
(remade by ``docs/screenshots.py``)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_compare_and_clients_screenshot_in_the_readme_is_a_small_png():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shots = re.findall(r"\]\((docs/screenshot-(?:compare|clients)-\d+\.png)\)", readme)
    assert sorted(shots) == [
        "docs/screenshot-clients-1280.png",
        "docs/screenshot-clients-390.png",
        "docs/screenshot-compare-1280.png",
        "docs/screenshot-compare-390.png",
    ]
    for shot in shots:
        data = (REPO / shot).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 200_000, shot
