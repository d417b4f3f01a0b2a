"""The report stage: model objects -> one JSON dict -> report.json, report.md, report.html.

`build_report` makes the dict (the contract, see docs/report-schema.md); the
renderers read only that dict, so any report.json can be re-rendered later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corroborate.report.build import SCHEMA_ID, article_dict, build_report
from corroborate.report.html import render_html
from corroborate.report.markdown import render_markdown
from corroborate.report.schema import load_schema, reference_problems, validate_report

__all__ = [
    "SCHEMA_ID",
    "article_dict",
    "build_report",
    "load_schema",
    "reference_problems",
    "render_html",
    "render_markdown",
    "validate_report",
    "write_reports",
]

JSON_NAME = "report.json"
MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"


def write_reports(report: Mapping[str, Any], out_dir: Path) -> list[Path]:
    """Write report.json, report.md and report.html into `out_dir` (created if needed).

    Returns the three paths in that order. Existing files are overwritten.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        JSON_NAME: json.dumps(report, ensure_ascii=False, indent=2) + "\n",
        MARKDOWN_NAME: render_markdown(report),
        HTML_NAME: render_html(report),
    }
    written = []
    for name, content in outputs.items():
        path = out_dir / name
        # newline="" so that a "\r\n" inside an article's text is written as-is and
        # report.json round-trips byte for byte on every platform.
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        written.append(path)
    return written
