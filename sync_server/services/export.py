"""Exports of an admin overview as CSV or XLSX, streamed: rows are read in keyset pages of
``PAGE`` (never all at once) and leave as they are encoded.

CSV is written page by page straight into the response. XLSX is streamed too: openpyxl makes
the workbook's parts (workbook, styles, content types, and the worksheet around its rows), and
the rows are written as worksheet XML into a zip that is sent as it is compressed (a zip written
to a stream describes each entry after its data, and its directory comes last). openpyxl writing
every cell itself was ~1,000 rows/s, and its file could only leave once complete: the first byte
of a 50,000-row export came after about a minute, as long as a reverse proxy commonly waits.

Formula injection (CWE-1236): a text cell starting with ``= + - @``, a tab or a carriage return is
prefixed with a single quote in both formats, so a spreadsheet shows it as text instead of
running it. CSV cells are also all quoted, so a separator inside a value cannot start a new cell
in a spreadsheet that splits on another character (``;`` locales).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import uuid
import zipfile
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from sync_server.db.models import RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import EntitySpec
from sync_server.services.admin_records import require_admin
from sync_server.services.records import serialize

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
    """A cell of the JSON form of a row (text, integer, boolean or null)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return neutralise(value if type(value) is str else str(value))


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
        # serialize: the rows' JSON form, without validating stored data again through Pydantic.
        values = [serialize(spec, r) for r in rows]
        yield _csv_text([[_csv_cell(v[n]) for n in names] for v in values])


# XLSX --------------------------------------------------------------------------------------------

# The parts openpyxl writes for a one-sheet workbook; the sheet is made with a datetime and a date
# cell so that styles.xml has their number formats, and the two style ids are read back from it.
_SKELETON_CELLS = (datetime(2000, 1, 1, 12, 0), date(2000, 1, 2))
_STYLE_ID = re.compile(rb'<c r="([AB])1" s="(\d+)"')
SHEET_PART = "xl/worksheets/sheet1.xml"


@dataclasses.dataclass(frozen=True, slots=True)
class _Skeleton:
    parts: dict[str, bytes]  # every part but the worksheet
    sheet_head: bytes  # the worksheet up to its rows
    sheet_tail: bytes  # and after them
    datetime_style: str
    date_style: str


@cache
def _skeleton(sheet_name: str) -> _Skeleton:
    book = Workbook(write_only=True)
    book.create_sheet(sheet_name).append(list(_SKELETON_CELLS))
    raw = io.BytesIO()
    book.save(raw)
    with zipfile.ZipFile(raw) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts.pop(SHEET_PART)
    head, rest = sheet.split(b"<sheetData>", 1)
    styles = {m[0]: m[1].decode() for m in _STYLE_ID.findall(rest)}
    return _Skeleton(
        parts,
        head + b"<sheetData>",
        rest[rest.index(b"</sheetData>") :],
        styles[b"A"],
        styles[b"B"],
    )


class _Sink(io.RawIOBase):
    """Where the zip is written: a buffer the response drains (it cannot seek, so zipfile writes
    each entry's sizes after its data)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return out


def _xlsx_text(value: str) -> str:
    """Text as a cell can hold it: without the control characters XML forbids, neutralised."""
    if not (value.isascii() and value.isprintable()):  # the rare text that may need cleaning
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def _xlsx_row(number: int, refs: list[str], values: list[Any], skeleton: _Skeleton) -> str:
    """One worksheet row: text inline, numbers and booleans as themselves, timestamps (UTC:
    Excel has no time zones) and dates as date cells; a missing value is no cell."""
    cells = []
    for ref, value in zip(refs, values, strict=True):
        if value is None:
            continue
        cell = f'<c r="{ref}{number}"'
        if isinstance(value, str | uuid.UUID):
            text = escape(_xlsx_text(str(value)))
            cells.append(f'{cell} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        elif value is True or value is False:
            cells.append(f'{cell} t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, datetime):
            serial = to_excel(value.astimezone(UTC).replace(tzinfo=None))
            cells.append(f'{cell} s="{skeleton.datetime_style}" t="n"><v>{serial}</v></c>')
        elif isinstance(value, date):
            cells.append(f'{cell} s="{skeleton.date_style}" t="n"><v>{to_excel(value)}</v></c>')
        else:  # int, Decimal
            cells.append(f'{cell} t="n"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


async def xlsx_chunks(
    repos: Repositories, spec: EntitySpec, query: ListQuery
) -> AsyncGenerator[bytes, None]:
    names = columns(spec)
    refs = [get_column_letter(i) for i in range(1, len(names) + 1)]
    skeleton = _skeleton(spec.path)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in skeleton.parts.items():
            book.writestr(name, data)
        with book.open(SHEET_PART, "w") as sheet:
            sheet.write(skeleton.sheet_head)
            sheet.write(_xlsx_row(1, refs, list(names), skeleton).encode())
            number = 1
            async for rows in pages(repos, spec, query):
                lines = []
                for row in rows:
                    number += 1
                    # The stored values as they are: the typed values of the Read model.
                    lines.append(
                        _xlsx_row(number, refs, [getattr(row, n) for n in names], skeleton)
                    )
                sheet.write("".join(lines).encode())
                if sink.size >= CHUNK:
                    yield sink.take()
            sheet.write(skeleton.sheet_tail)
    yield sink.take()
