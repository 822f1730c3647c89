"""The pictures in docs/ are the ones the app draws, so the README never shows another set-up."""

from __future__ import annotations

from pathlib import Path

from webapp.common import sticker_svg

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_readme_sticker_picture_is_the_one_the_photo_page_shows():
    # Regenerate with: .venv/bin/python -c "from webapp.common import sticker_svg;
    # open('docs/stickers.svg', 'w').write(sticker_svg() + '\n')"
    assert (DOCS / "stickers.svg").read_text(encoding="utf-8") == sticker_svg() + "\n"
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "](docs/stickers.svg)" in readme
