"""CSV cells a spreadsheet cannot run (CSV injection, OWASP's advice).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return (after any
spaces) is written with a leading apostrophe, so LibreOffice, Excel and Sheets read it as
text, not as a formula. Numbers, and text that is a plain decimal number such as "-3.5",
are written unchanged. Line breaks in text become ``\n``: the writers end rows with ``\n``
and would leave a lone CR unquoted, splitting the row.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` ready for a CSV writer: a text cell that could start a formula gets ``'``."""
    if not isinstance(value, str):
        return value
    start = value.lstrip(" ")
    if start.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(start):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def safe_row(values: Any) -> list[Any]:
    """Every cell of a row through ``safe_cell``."""
    return [safe_cell(v) for v in values]
