"""The sign-in cookie of ``webapp.gate``: only what this process signed, only while it is fresh (issue 19)."""

from __future__ import annotations

import pytest

from webapp import gate

NOW = 1_800_000_000.0


def _resigned(value: str, **change) -> str:
    issued, nonce, signature = value.split(".")
    parts = {"issued": issued, "nonce": nonce, "signature": signature, **change}
    return f"{parts['issued']}.{parts['nonce']}.{parts['signature']}"


def test_a_fresh_cookie_is_valid():
    assert gate.valid(gate.new_cookie_value(NOW), NOW)
    assert gate.valid(gate.new_cookie_value(NOW), NOW + gate.MAX_AGE - 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda value: None,
        lambda value: "",
        lambda value: "garbage",
        lambda value: value + "0",  # signature one character longer
        lambda value: _resigned(value, issued=str(int(NOW) + 60)),  # date moved, old signature
        lambda value: _resigned(value, nonce="0" * 32),  # nonce changed
        lambda value: _resigned(value, signature="0" * 64),  # forged signature
        lambda value: value.replace(".", ",", 1),
    ],
)
def test_a_changed_or_forged_cookie_is_refused(make):
    assert not gate.valid(make(gate.new_cookie_value(NOW)), NOW)


def test_a_cookie_expires_and_cannot_come_from_the_future():
    value = gate.new_cookie_value(NOW)
    assert not gate.valid(value, NOW + gate.MAX_AGE)
    assert not gate.valid(value, NOW - 60)


def test_a_cookie_from_another_server_process_is_refused(monkeypatch):
    value = gate.new_cookie_value(NOW)
    monkeypatch.setattr(gate, "_secret", b"another process's secret".ljust(32, b"\0"))
    assert not gate.valid(value, NOW)


@pytest.mark.parametrize(
    "password, address, required",
    [
        (None, "127.0.0.1", False),  # make app: this machine only, nothing asked
        ("pass", "127.0.0.1", True),  # behind a proxy on 127.0.0.1: still asked
        (None, "0.0.0.0", True),  # served without a password: nothing shown
        ("pass", "0.0.0.0", True),
        (None, "", True),  # every interface
    ],
)
def test_when_signing_in_is_required(monkeypatch, password, address, required):
    if password:
        monkeypatch.setenv("POSTURE_APP_PASSWORD", password)
    else:
        monkeypatch.delenv("POSTURE_APP_PASSWORD", raising=False)
    assert gate.required(address) is required


def test_the_password_is_compared_whole():
    assert gate.matches("a long passphrase", "a long passphrase")
    assert not gate.matches("a long passphras", "a long passphrase")
    assert not gate.matches("", "a long passphrase")
