"""The pictures in docs/ are the ones the app draws, so the README never shows another set-up."""

from __future__ import annotations

import re
from pathlib import Path

from webapp.common import sticker_svg

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_readme_sticker_picture_is_the_one_the_photo_page_shows():
    # Regenerate with: .venv/bin/python -c "from webapp.common import sticker_svg;
    # open('docs/stickers.svg', 'w').write(sticker_svg() + '\n')"
    assert (DOCS / "stickers.svg").read_text(encoding="utf-8") == sticker_svg() + "\n"
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "](docs/stickers.svg)" in readme


def test_the_readme_screenshots_are_there_and_small():
    # Regenerate with: .venv/bin/python docs/screenshots_photo.py (serves the app, needs Chromium)
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"docs/(screenshots/[\w.-]+\.png)", readme)
    assert {"screenshots/photo-result-1280.png", "screenshots/photo-result-390.png"} <= set(shown)
    for name in shown:
        data = (DOCS / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 300_000, name
