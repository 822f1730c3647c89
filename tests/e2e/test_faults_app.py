"""A broken or read-only records file on the pages (Streamlit's AppTest): one sentence in red that
names the file and the way to choose another, never a traceback; the file is left as it is."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from posture.records import Store
from tests.records.test_faults import broken, filled, make_read_only

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 90


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clients_page() -> AppTest:
    return AppTest.from_string(
        "from webapp.pages.clients import render\nrender()", default_timeout=TIMEOUT
    ).run()


def newer(tmp_path) -> Path:
    path = tmp_path / "records.sqlite3"
    filled(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


def errors(page: AppTest) -> list[str]:
    assert not page.exception, [e.value for e in page.exception]
    return [e.value for e in page.error]


@pytest.mark.parametrize("how", ["cut in half", "random bytes", "newer"])
def test_the_clients_page_tells_a_broken_file_in_one_sentence(tmp_path, monkeypatch, how):
    path = newer(tmp_path) if how == "newer" else broken(tmp_path, how)
    before = digest(path)
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    page = clients_page()
    (shown,) = errors(page)
    assert shown.startswith(f"The records file {path} ")
    assert ("newer version of posture" if how == "newer" else "is damaged") in shown
    assert shown.endswith("choose another database file in the workspace settings on the Clients page.")
    assert page.text_input(key="records_db_widget").value == str(path)  # where to choose another

    other = tmp_path / "other.sqlite3"
    filled(other)
    page.text_input(key="records_db_widget").input(str(other)).run()
    assert errors(page) == []
    page.selectbox(key="clients_client").select("Ana").run()
    assert "5 session(s)" in " ".join(c.value for c in page.caption)
    assert digest(path) == before


def test_the_clients_page_with_a_read_only_file_shows_the_records_and_refuses_changes(
    tmp_path, monkeypatch, request
):
    path = tmp_path / "records.sqlite3"
    filled(path).update_client(1, notes="left knee")
    make_read_only(path, request)
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    page = clients_page()
    page.selectbox(key="clients_client").select("Ana").run()
    assert errors(page) == []
    assert "5 session(s)" in " ".join(c.value for c in page.caption)

    page.text_area(key="notes_1").input("right knee").run()
    page.button(key="save_details_1").click().run()
    (shown,) = errors(page)
    assert shown.startswith(
        f"The records file {path} cannot be written because the file or its folder is read-only"
    )
    assert Store(path).client("Ana").notes == "left knee"

    page.checkbox(key="sure_1").check().run()
    page.button(key="delete_1").click().run()
    assert "is read-only, so nothing was saved" in errors(page)[0]
    assert not any("Deleted" in s.value for s in page.success)
    assert len(Store(path).sessions(1)) == 5

    page.selectbox(key="clients_client").select("New client…").run()
    page.text_input(key="clients_client_name").input("Bea")
    next(b for b in page.button if b.label == "Create client").click().run()
    (shown,) = errors(page)
    assert shown.startswith(f"The records file {path} cannot be written because")
    assert [c.name for c in Store(path).clients()] == ["Ana"]


def test_the_photo_page_save_tells_a_read_only_file_and_keeps_the_result(tmp_path, monkeypatch, request):
    from webapp import common

    path = tmp_path / "records.sqlite3"
    filled(path)
    make_read_only(path, request)
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    photo = (REPO / "samples" / "synthetic_neutral.jpg").read_bytes()
    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    try:
        page.file_uploader[0].set_value(("neutral.jpg", photo, "image/jpeg")).run()
        page.selectbox(key="save_client").select("Ana").run()
        assert errors(page) == []
        page.button(key="save_button").click().run()
        (shown,) = errors(page)
        assert shown.startswith(f"The records file {path} cannot be written because")
        assert shown.endswith("choose another database file in the workspace settings on the Clients page.")
        assert not any("Saved to Ana" in s.value for s in page.success)
        assert "Measures" in [h.value for h in page.subheader]  # the result stays on the page
        assert page.get("download_button"), "the downloads below the save box are gone"
        assert len(Store(path).sessions(1)) == 5
    finally:
        common.estimator.clear()


def test_the_photo_page_save_box_tells_a_damaged_file(tmp_path, monkeypatch):
    from webapp import common

    path = broken(tmp_path, "random bytes")
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    photo = (REPO / "samples" / "synthetic_neutral.jpg").read_bytes()
    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    try:
        page.file_uploader[0].set_value(("neutral.jpg", photo, "image/jpeg")).run()
        (shown,) = errors(page)
        assert shown.startswith(f"The records file {path} is damaged")
        assert page.get("download_button"), "the downloads below the save box are gone"
    finally:
        common.estimator.clear()
