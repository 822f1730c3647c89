"""Reports a person can keep, in one import: CSV and JSON (``tables``), HTML (``report_html``)
and PDF (``report_pdf``); the words they use are in ``wording``. Every report takes the error
figures (``posture.assess.errors.ErrorFigures``) it cites, passed in by the caller.
"""

from posture.image.encode import image_data_uri, jpeg_bytes, png_bytes
from posture.render.report_html import comparison_report_html, photo_report_html
from posture.render.report_pdf import _unicode_font, comparison_report_pdf, photo_report_pdf
from posture.render.tables import (
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
    "MEASURE_GUIDE",
    "MeasureGuide",
    "_unicode_font",
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
