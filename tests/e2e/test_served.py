"""Nobody sees another person's data (issue 11, section 5).

The app listens on 127.0.0.1 unless told otherwise; served beyond this machine it shows
nothing without the password of ``POSTURE_APP_PASSWORD``; the live page neither writes range
profiles on the server nor lists them to visitors.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def test_the_configuration_binds_to_this_machine_only():
    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["address"] == "127.0.0.1"


def test_the_server_started_as_make_app_does_is_not_reachable_from_another_address(tmp_path):
    """``streamlit run app.py`` with only the repository's configuration: it answers on
    127.0.0.1 and refuses a connection to this machine's other address."""
    listed = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    others = {line.split()[3].split("/")[0] for line in listed.splitlines() if len(line.split()) > 3}
    others = {a for a in others if not a.startswith("127.")}
    if not others:
        pytest.skip("this machine has no address besides loopback to test from")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the app did not start"
                time.sleep(0.5)
        for address in others:
            with socket.socket() as client:
                client.settimeout(3)
                assert client.connect_ex((address, port)) != 0, f"reachable on {address}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def served(monkeypatch):
    """The app as if started with --server.address 0.0.0.0."""
    monkeypatch.setattr(config, "get_option", _with_address(config.get_option, "0.0.0.0"))
    import streamlit as st

    monkeypatch.setattr(st, "get_option", _with_address(st.get_option, "0.0.0.0"))


def _with_address(get_option, address):
    return lambda key: address if key == "server.address" else get_option(key)


def _page_text(at: AppTest) -> str:
    return " ".join(
        e.value
        for e in [*at.markdown, *at.error, *at.title, *at.header]
        if isinstance(getattr(e, "value", None), str)
    )


def test_served_without_a_password_shows_no_page(served, monkeypatch):
    monkeypatch.delenv("POSTURE_APP_PASSWORD", raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert "no password is set" in _page_text(at)
    assert not at.get("file_uploader")


def test_served_with_a_password_asks_for_it_first(served, monkeypatch):
    monkeypatch.setenv("POSTURE_APP_PASSWORD", "correct horse")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.get("file_uploader")
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert "not the password" in _page_text(at) and not at.get("file_uploader")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert at.get("file_uploader"), _page_text(at)


def test_on_this_machine_without_a_password_none_is_asked(monkeypatch):
    monkeypatch.delenv("POSTURE_APP_PASSWORD", raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert at.get("file_uploader")


def test_a_password_set_is_asked_on_this_machine_too(monkeypatch):
    """Behind an HTTPS proxy (the README's advice) the app listens on 127.0.0.1: a password
    that is set must still be asked (issue 19; it used to be skipped on 127.0.0.1)."""
    monkeypatch.setenv("POSTURE_APP_PASSWORD", "correct horse")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.get("file_uploader")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert at.get("file_uploader"), _page_text(at)


def test_the_live_page_offers_no_server_side_profiles(tmp_path, monkeypatch):
    """A profile saved by one visitor used to be listed to every other: the page now keeps the
    range in the browser session and in the file the visitor downloads, nothing on the server."""
    source = (REPO / "webapp" / "pages" / "live.py").read_text()
    assert "list_profiles" not in source and "save_profile" not in source
