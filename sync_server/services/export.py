"""Exports of an admin overview as CSV or XLSX, streamed: rows are read in keyset pages of
``PAGE`` (never all at once) and leave as they are encoded.

CSV is written page by page straight into the response. XLSX is a zip whose central directory
comes last, so it cannot be sent before it is complete: openpyxl's write-only mode appends each
page to a worksheet spooled on disk (memory stays flat), saves the workbook to a temporary file,
and that file is streamed in chunks and removed.

Formula injection (CWE-1236): a text cell starting with ``= + - @``, a tab or a carriage return is
prefixed with a single quote in both formats, so a spreadsheet shows it as text instead of
running it. CSV cells are also all quoted, so a separator inside a value cannot start a new cell
in a spreadsheet that splits on another character (``;`` locales).
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import os
import tempfile
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sync_server.db.models import RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import EntitySpec
from sync_server.services.admin_records import require_admin

PAGE = 500
CHUNK = 64 * 1024
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # lets spreadsheet programs read the UTF-8 text as UTF-8
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def columns(spec: EntitySpec) -> tuple[str, ...]:
    return ("id", *spec.fields, "created_by", "created_at", "updated_at", "version")


def filename(spec: EntitySpec, fmt: str) -> str:
    return f"{spec.path}-{datetime.now(UTC):%Y%m%d-%H%M%S}.{fmt}"


async def pages(
    repos: Repositories, spec: EntitySpec, query: ListQuery
) -> AsyncIterator[list[RecordBase]]:
    """Every row of the filtered overview, in its sort order, one keyset page at a time."""
    require_admin(repos)
    query = dataclasses.replace(query, limit=PAGE, count=False, offset=None, after=None)
    while True:
        page = await repos.records.page(spec, query, visible_to=None)
        if page.rows:
            yield page.rows
        if not page.has_more:
            return
        last = page.rows[-1]
        value = getattr(last, query.sort)
        query = dataclasses.replace(query, after=(value is None, value, last.id))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def _csv_text(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


async def csv_chunks(
    repos: Repositories, spec: EntitySpec, query: ListQuery
) -> AsyncGenerator[bytes, None]:
    names = columns(spec)
    yield CSV_BOM.encode() + _csv_text([list(names)])
    async for rows in pages(repos, spec, query):
        values = [spec.read.model_validate(r).model_dump(mode="json") for r in rows]
        yield _csv_text([[_csv_cell(v[n]) for n in names] for v in values])


def _xlsx_cell(value: Any) -> Any:
    """Typed cells (numbers, dates, booleans stay themselves); text neutralised and cleaned of
    the control characters XML cannot hold."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _append(sheet: Any, rows: list[list[Any]]) -> None:
    """Rows onto a write-only worksheet (spooled to disk by openpyxl as they come)."""
    for row in rows:
        sheet.append(row)


async def xlsx_file(repos: Repositories, spec: EntitySpec, query: ListQuery) -> Path:
    """The workbook in a temporary file: the caller streams it (``file_chunks``), then
    ``remove``s it."""
    names = columns(spec)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.path)
    sheet.append(list(names))
    async for rows in pages(repos, spec, query):
        values = [spec.read.model_validate(r).model_dump() for r in rows]
        # openpyxl is synchronous: a page at a time in a thread keeps the event loop free.
        await asyncio.to_thread(_append, sheet, [[_xlsx_cell(v[n]) for n in names] for v in values])
    handle, raw_path = tempfile.mkstemp(prefix="pathsix-export-", suffix=".xlsx")
    os.close(handle)
    path = Path(raw_path)
    try:
        await asyncio.to_thread(book.save, path)
    except BaseException:
        await remove(path)
        raise
    return path


async def file_chunks(path: Path) -> AsyncGenerator[bytes, None]:
    stream: IO[bytes] = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(stream.read, CHUNK):
            yield chunk
    finally:
        stream.close()


async def remove(path: Path) -> None:
    await asyncio.to_thread(path.unlink, missing_ok=True)
