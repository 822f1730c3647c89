"""A photo's EXIF date texts, as the camera wrote them."""

from __future__ import annotations

import io

from PIL import Image

from posture.image.exif import exif_date_texts


def _jpeg(**tags: str) -> bytes:
    image = Image.new("RGB", (8, 8))
    exif = image.getexif()
    exif.get_ifd(0x8769).update({36867: tags["original"], 36881: tags["offset"]} if tags else {})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_date_and_offset_are_read_from_bytes_and_paths(tmp_path):
    data = _jpeg(original="2026:11:12 09:30:00", offset="+01:00")
    assert exif_date_texts(data) == ("2026:11:12 09:30:00", "+01:00")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    assert exif_date_texts(path) == ("2026:11:12 09:30:00", "+01:00")


def test_no_exif_or_no_image_gives_none():
    assert exif_date_texts(_jpeg()) == (None, None)
    assert exif_date_texts(b"") == (None, None)
    assert exif_date_texts(b"not a photo") == (None, None)
