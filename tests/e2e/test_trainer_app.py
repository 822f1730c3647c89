"""The Clients page in Streamlit's AppTest (no browser, no model): a seeded database shows its
client's progress, exports and comparison; deleting the client empties the records."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from posture.records import Store, draft
from tests.records.test_store import at, measured

TIMEOUT = 60


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    records = Store(tmp_path / "records.sqlite3")
    client = records.add_client("Ana P.", notes="left knee")
    for day, tilt in ((3, 22.0), (10, 17.0), (24, 11.0)):
        records.add_session(client.id, draft(measured({"pelvic_tilt": tilt}), taken=at(day)))
    return records


def _page() -> AppTest:
    return AppTest.from_string(
        "from webapp.pages.clients import render\nrender()", default_timeout=TIMEOUT
    ).run()


def test_clients_page_shows_progress_and_deletes_the_client(store):
    page = _page()
    assert not page.exception
    page.selectbox(key="clients_client").select("Ana P.").run()
    assert not page.exception, [e.value for e in page.exception]
    headings = [h.value for h in page.subheader]
    for heading in (
        "Progress",
        "Sessions",
        "Routine history",
        "Compare two sessions",
        "Export the history",
        "Delete this client",
    ):
        assert heading in headings
    assert page.get("vega_lite_chart"), "no progress chart"
    assert "3 session(s)" in " ".join(c.value for c in page.caption)
    client = store.client("Ana P.")
    page.checkbox(key=f"sure_{client.id}").check().run()
    page.button(key=f"delete_{client.id}").click().run()
    assert store.clients() == []
    assert any("Deleted Ana P." in s.value for s in page.success)


def test_an_empty_workspace_invites_to_create_a_client(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    page = _page()
    assert not page.exception
    assert any("New client" in i.value for i in page.info)
    assert list(tmp_path.iterdir()) == []  # looking creates no database


def test_a_session_compares_with_another_clients_session(store):
    other = store.add_client("Ben")
    store.add_session(other.id, draft(measured({"pelvic_tilt": 5.0}), taken=at(12)))
    page = _page()
    page.selectbox(key="clients_client").select("Ana P.").run()
    page.selectbox(key="compare_other_client").select("Ben").run()
    assert not page.exception, [e.value for e in page.exception]
    assert "Side by side and ghost overlay" in [h.value for h in page.subheader]
    assert any("Ben — 12 Oct 2026, 09:00" in m.value for m in page.markdown)


def test_an_unreadable_database_is_an_error_message_not_a_crash(tmp_path, monkeypatch):
    (tmp_path / "records.sqlite3").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    page = _page()
    assert not page.exception
    assert any("is damaged" in e.value and "workspace settings" in e.value for e in page.error)


def test_one_session_can_be_deleted(store):
    page = _page()
    page.selectbox(key="clients_client").select("Ana P.").run()
    client = store.client("Ana P.")
    newest = store.sessions(client.id)[-1]
    page.selectbox(key="delete_session_id").select(newest.id).run()
    page.button(key="delete_session_button").click().run()
    assert not page.exception
    assert newest.id not in [s.id for s in store.sessions(client.id)]
    assert len(store.sessions(client.id)) == 2


def test_a_client_with_one_session_gets_chart_report_and_no_comparison(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    records = Store(tmp_path / "records.sqlite3")
    client = records.add_client("Solo")
    records.add_session(client.id, draft(measured({"pelvic_tilt": 9.0}), taken=at(5)))
    page = _page()
    page.selectbox(key="clients_client").select("Solo").run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.get("vega_lite_chart")
    assert any("Save a second session to compare." in c.value for c in page.caption)


def test_download_names_are_made_safe_from_the_clients_name(tmp_path, monkeypatch):
    from streamlit.delta_generator import DeltaGenerator

    names = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        names.append(file_name)
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    records = Store(tmp_path / "records.sqlite3")
    client = records.add_client("../Eve\u202egnp.exe")
    records.add_session(client.id, draft(measured({"pelvic_tilt": 9.0}), taken=at(5)))
    page = _page()
    page.selectbox(key="clients_client").select(client.name).run()
    assert not page.exception, [e.value for e in page.exception]
    assert set(names) >= {"evegnp.exe-history.csv", "evegnp.exe-progress.pdf"}
    assert not any("/" in n or "\u202e" in n or n.startswith(".") for n in names)
