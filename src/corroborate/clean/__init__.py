"""Cleaning: raw text or HTML to clean paragraphs, with furniture removed and metadata found.

`CleanStep` is the pipeline step; `repeated_lines` prepares the batch-level furniture
set it honours (`ctx.settings["repeated_lines"]`); the helpers are exported for steps
and tools that need the same judgements (language, dates, boilerplate on plain text).
"""

from __future__ import annotations

from corroborate.clean.boilerplate import (
    Cleaned,
    clean_plain_text,
    remove_boilerplate,
    repeated_lines,
)
from corroborate.clean.dates import date_line, find_date, iso_date
from corroborate.clean.html import HtmlExtraction, extract_html
from corroborate.clean.language import detect_language
from corroborate.clean.metadata import detect_title, outlet_from_url
from corroborate.clean.step import CleanStep

__all__ = [
    "CleanStep",
    "Cleaned",
    "HtmlExtraction",
    "clean_plain_text",
    "date_line",
    "detect_language",
    "detect_title",
    "extract_html",
    "find_date",
    "iso_date",
    "outlet_from_url",
    "remove_boilerplate",
    "repeated_lines",
]
