"""Reports a person can keep, in one import: CSV and JSON (``tables``), and the photo and
comparison reports as HTML and PDF, each built once as a document (``report_doc``) and written
by the one HTML writer and the one PDF writer; the words they use are in ``wording``. Every
report takes the error figures (``posture.assess.errors.ErrorFigures``) it cites, passed in by
the caller.
"""

from posture.image.encode import image_data_uri, jpeg_bytes, png_bytes
from posture.render.html_writer import write_html
from posture.render.pdf_writer import write_pdf
from posture.render.report_doc import ComparisonReport, PhotoReport, comparison_document, photo_document
from posture.render.tables import (
    COMPARISON_CSV_COLUMNS,
    analysis_json,
    comparison_csv,
    comparison_json,
    comparison_rows_dicts,
    measure_rows,
    measures_csv,
    provenance,
)
from posture.render.wording import (
    CHANGE_ERROR_TEXT,
    MEASURE_GUIDE,
    MeasureGuide,
    format_difference,
    format_error,
    format_value,
    kendall_text,
    measure_guide,
    method_note,
    verdict_text,
)

__all__ = [
    "CHANGE_ERROR_TEXT",
    "COMPARISON_CSV_COLUMNS",
    "ComparisonReport",
    "PhotoReport",
    "MEASURE_GUIDE",
    "MeasureGuide",
    "analysis_json",
    "comparison_csv",
    "comparison_json",
    "comparison_report_html",
    "comparison_report_pdf",
    "comparison_rows_dicts",
    "format_difference",
    "format_error",
    "format_value",
    "image_data_uri",
    "jpeg_bytes",
    "kendall_text",
    "measure_guide",
    "measure_rows",
    "measures_csv",
    "method_note",
    "photo_report_html",
    "photo_report_pdf",
    "png_bytes",
    "provenance",
    "verdict_text",
]


def photo_report_html(report: PhotoReport) -> str:
    """The photo report as one self-contained HTML page (the image embedded) that prints on A4."""
    return write_html(photo_document(report))


def photo_report_pdf(report: PhotoReport) -> bytes:
    """The photo report as a PDF (A4)."""
    return write_pdf(photo_document(report))


def comparison_report_html(report: ComparisonReport) -> str:
    """The comparison as one self-contained HTML page: the aligned pictures and the differences."""
    return write_html(comparison_document(report))


def comparison_report_pdf(report: ComparisonReport) -> bytes:
    """The comparison as a PDF (A4)."""
    return write_pdf(comparison_document(report))
