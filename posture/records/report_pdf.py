"""The client's progress report as a PDF (A4): the document of ``progress_html``, written by
the one PDF writer."""

from __future__ import annotations

from collections.abc import Sequence

from posture.records.entries import Session
from posture.records.report import Handover, progress_document
from posture.render.pdf_writer import write_pdf


def progress_pdf(sessions: Sequence[Session], handover: Handover) -> bytes:
    """The report as a PDF (A4)."""
    return write_pdf(progress_document(sessions, handover))
