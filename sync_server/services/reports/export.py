"""A report as a download: CSV (a header of column labels, then the rows) or XLSX (a sheet of
the rows, typed, and a Summary sheet with the parameters and the summary).

Formula injection: text cells go through the export module's ``neutralise`` (a leading
``= + - @``, tab or carriage return gets a single quote), the same rule as every other export.
Numeric columns are written by the server itself (decimal strings, integers), so they are left
as numbers: a negative number is not a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sync_server.schemas.reports import NUMERIC_TYPES, Cell, ReportColumn, ReportResponse
from sync_server.services.export import CSV_BOM, MEDIA_TYPES, neutralise

NUMBER_FORMATS = {"money": "0.00", "percent": "0.00"}

__all__ = ["MEDIA_TYPES", "filename", "to_csv", "to_xlsx"]


def filename(report: ReportResponse, fmt: str) -> str:
    start = report.params.start_date or "beginning"
    return f"{report.report.replace('/', '-')}_{start}_{report.params.end_date}.{fmt}"


def _text(value: Cell, column: ReportColumn) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or column.type in NUMERIC_TYPES:
        return str(value)
    return neutralise(value)


def to_csv(report: ReportResponse) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([c.label for c in report.columns])
    writer.writerows([[_text(row.get(c.key), c) for c in report.columns] for row in report.rows])
    return (CSV_BOM + out.getvalue()).encode()


def _typed(sheet: WriteOnlyWorksheet, value: Cell, column: ReportColumn) -> Any:
    if isinstance(value, str) and column.type in NUMERIC_TYPES:
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = NUMBER_FORMATS.get(column.type, "General")
        return cell
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(report: ReportResponse) -> bytes:
    """Synchronous (openpyxl): callers run it in a thread. Rows are capped per report."""
    book = Workbook(write_only=True)
    rows = book.create_sheet(report.report.replace("/", "-")[:31])
    rows.append([c.label for c in report.columns])
    for row in report.rows:
        rows.append([_typed(rows, row.get(c.key), c) for c in report.columns])
    summary = book.create_sheet("Summary")
    params = report.params.model_dump(mode="json")
    for key, value in [("report", report.report), *params.items(), *report.summary.items()]:
        text = value if not isinstance(value, str) else neutralise(value)
        summary.append([key, text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
