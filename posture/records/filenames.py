"""Download file names safe to save on any system, whatever the client or photo is called.

``safe_filename`` is pure: it keeps letters, digits and ordinary punctuation of the name and
drops or replaces everything a browser or file system could misread (issue 19).
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 80
"""The longest name returned, suffix included."""

_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
"""Control, format (bidi controls U+202A–E, U+2066–9, U+200E/F, zero-width), surrogate,
private, unassigned, line and paragraph separator characters."""

_REPLACED = re.compile(r'[\s/\\:*?"<>|]+')
_SUFFIX = re.compile(r"[A-Za-z0-9._-]*")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{kind}{n}" for kind in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
"""Windows device names, reserved whatever the extension ("CON.csv" too)."""


def safe_filename(stem: str, suffix: str, *, fallback: str = "client") -> str:
    """``stem + suffix`` made safe: no path separators, control, bidi or other invisible
    characters, no leading dots, no Windows device name, at most ``MAX_LENGTH`` characters;
    ``fallback`` stands in for a stem with nothing left. ``suffix`` (e.g. "-history.csv") is
    the caller's own and may hold only ASCII letters, digits, ".", "_" and "-"."""
    if not _SUFFIX.fullmatch(suffix) or len(suffix) > MAX_LENGTH // 2:
        raise ValueError(f"not a plain file name suffix: {suffix!r}")
    name = _clean(stem)[: MAX_LENGTH - len(suffix)].rstrip(" .-") or _clean(fallback) or "file"
    if name.split(".")[0].upper() in _RESERVED or (name + suffix).split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name + suffix


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width "／" and "．" become "/" and "."
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = _REPLACED.sub("-", text)
    return re.sub(r"-{2,}", "-", text).strip(" .-")
