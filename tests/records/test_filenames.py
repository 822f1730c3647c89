"""Download file names: ``posture.records.filenames.safe_filename``."""

from __future__ import annotations

import pytest

from posture.records.filenames import MAX_LENGTH, safe_filename


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("../evil", "evil.csv"),
        ("..\\..\\windows\\evil", "windows-evil.csv"),
        ("/etc/passwd", "etc-passwd.csv"),
        ("a\u202egnp.exe", "agnp.exe.csv"),  # no right-to-left override: shown as it is
        ("\u2066x\u2069\u200e\u200fy\u202a\u202b\u202c\u202d", "xy.csv"),
        ("CON", "_CON.csv"),
        ("nul", "_nul.csv"),
        ("com1", "_com1.csv"),
        ("a\x00b\x1fc\x7f\nd", "abcd.csv"),
        ("", "client.csv"),
        ("  ", "client.csv"),
        ("...", "client.csv"),
        ("\u202e", "client.csv"),
        (".hidden", "hidden.csv"),
        ("Ana P.", "Ana-P.csv"),
        ("Zoë Müller", "Zoë-Müller.csv"),
        ('a:b*c?"<d>|', "a-b-c-d.csv"),
        ("\uff0e\uff0e\uff0fevil", "evil.csv"),  # full-width dots and slash
    ],
)
def test_names_are_made_safe(stem, expected):
    assert safe_filename(stem, ".csv") == expected


def test_a_long_name_is_cut_and_keeps_its_suffix():
    name = safe_filename("x" * 500, "-history.csv")
    assert len(name) == MAX_LENGTH and name.endswith("x-history.csv")


def test_the_fallback_stands_in_for_an_empty_stem():
    assert safe_filename("", "-blurred-annotated.png", fallback="photo") == "photo-blurred-annotated.png"
    assert safe_filename("..", "-history.csv") == "client-history.csv"


@pytest.mark.parametrize("suffix", ["/x.csv", ".c\u202esv", "x" * 60])
def test_a_suffix_must_be_plain(suffix):
    with pytest.raises(ValueError):
        safe_filename("ana", suffix)


@pytest.mark.parametrize("stem", ["../evil", "a\u202egnp.exe", "CON", "\x01\x02", "", "x" * 300])
def test_every_result_is_one_plain_visible_name(stem):
    name = safe_filename(stem, "-report.pdf")
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name.isprintable() and len(name) <= MAX_LENGTH
    assert name.split(".")[0].split("-")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
