"""Where the records database lives by default: $POSTURE_DATA_DIR, else a per-user folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from posture.records.location import DB_NAME, data_dir, default_db


@pytest.mark.parametrize(
    "environ, platform, expected",
    [
        ({"POSTURE_DATA_DIR": "/srv/clinic"}, "linux", Path("/srv/clinic")),
        ({"POSTURE_DATA_DIR": "/srv/clinic", "XDG_DATA_HOME": "/x"}, "linux", Path("/srv/clinic")),
        ({"XDG_DATA_HOME": "/x"}, "linux", Path("/x/posture")),
        ({}, "linux", Path.home() / ".local" / "share" / "posture"),
        ({}, "darwin", Path.home() / "Library" / "Application Support" / "posture"),
        ({"APPDATA": "C:/Users/a/AppData/Roaming"}, "win32", Path("C:/Users/a/AppData/Roaming/posture")),
    ],
)
def test_data_dir_follows_the_documented_order(environ, platform, expected):
    assert data_dir(environ, platform=platform) == expected


def test_default_db_is_one_file_in_the_data_dir(tmp_path):
    assert default_db({"POSTURE_DATA_DIR": str(tmp_path)}) == tmp_path / DB_NAME
    assert not (tmp_path / DB_NAME).exists()  # naming the path creates nothing


def test_posture_database_url_names_the_database_instead(tmp_path):
    url = "postgresql+psycopg://posture@db.clinic/records"
    assert default_db({"POSTURE_DATABASE_URL": url, "POSTURE_DATA_DIR": str(tmp_path)}) == url
    assert default_db({"POSTURE_DATABASE_URL": "  ", "POSTURE_DATA_DIR": str(tmp_path)}) == tmp_path / DB_NAME
