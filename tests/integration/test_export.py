"""Exports (``GET /api/v1/admin/{entity}/export?format=csv|xlsx``): the filtered overview, streamed
in keyset pages, with every formula-trigger cell neutralised in both formats (CWE-1236)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from aiohttp import ClientPayloadError
from openpyxl import load_workbook
from sqlalchemy import update

from sync_server.entities import ENTITIES
from sync_server.http.keys import DB
from sync_server.schemas.admin import OVERVIEW_ENTITIES
from sync_server.services import export
from sync_server.tenancy import mint_for_platform
from tests.support.records import field_error, make
from tests.support.tenants import Actor, TenantHandle

A = "/api/v1/admin"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = {t: f'{t}HYPERLINK("http://evil.test","x")' for t in TRIGGERS}


async def stored(actor: Actor, entity: str, record_id: str, **values: str) -> None:
    """Write values straight into the table. The schemas trim whitespace, so a leading tab or
    carriage return only gets in from older data or other tools, which the export must still
    neutralise."""
    model: Any = ENTITIES[entity].model
    app = actor.client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(actor.tenant_id)) as session:
        stmt = update(model).where(
            model.tenant_id == actor.tenant_id, model.id == uuid.UUID(record_id)
        )
        await session.execute(stmt.values(**values))


async def make_with(actor: Actor, entity: str, tag: str, **values: str) -> dict[str, Any]:
    record = await make(actor, entity, tag=tag)
    await stored(actor, entity, record["id"], **values)
    return record


def export_url(entity: str, query: str) -> str:
    return f"{A}/{ENTITIES[entity].path}/export?{query}"


async def fetch(admin: Actor, entity: str, query: str) -> tuple[Any, bytes]:
    r = await admin.get(export_url(entity, query))
    assert r.status == 200, await r.text()
    return r, await r.read()


def csv_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def xlsx_rows(raw: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_csv_is_chunked_filtered_and_neutralised(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    tag = uuid.uuid4().hex[:8]
    made = {t: await make_with(user, "lead", tag, notes=p, city=p) for t, p in PAYLOADS.items()}
    safe = await make(user, "lead", tag=tag, notes="plain = text", city="Ünïcode")
    r, raw = await fetch(admin, "lead", f"format=csv&q={tag}&sort=name")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in r.headers
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Request-ID"]
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="leads-') and disposition.endswith('.csv"')
    rows = {row["id"]: row for row in csv_rows(raw)}
    assert set(rows) == {m["id"] for m in made.values()} | {safe["id"]}
    for trigger, lead in made.items():
        row = rows[lead["id"]]
        assert row["notes"] == "'" + PAYLOADS[trigger] and row["city"] == "'" + PAYLOADS[trigger]
        assert row["name"] == lead["name"] and row["lead_status"] == "new"
    assert rows[safe["id"]]["notes"] == "plain = text"
    assert rows[safe["id"]]["city"] == "Ünïcode"
    assert rows[safe["id"]]["assigned_to"] == "" and rows[safe["id"]]["version"].isdigit()
    # Every cell is quoted, so no separator can split a cell in another locale.
    assert raw.decode("utf-8-sig").splitlines()[0].startswith('"id","')


async def test_xlsx_neutralises_every_trigger_and_keeps_types(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    tag = uuid.uuid4().hex[:8]
    made = {}
    for trigger, payload in PAYLOADS.items():
        made[trigger] = await make_with(user, "project", tag, description=payload, notes=payload)
    r, raw = await fetch(admin, "project", f"format=xlsx&q={tag}")
    assert r.headers["Content-Type"] == export.MEDIA_TYPES["xlsx"]
    assert r.headers["Transfer-Encoding"] == "chunked"
    assert r.headers["Content-Disposition"].endswith('.xlsx"')
    rows = {row["id"]: row for row in xlsx_rows(raw)}
    assert set(rows) == {m["id"] for m in made.values()}
    for trigger, project in made.items():
        row = rows[project["id"]]
        # XML parsers read a raw carriage return as a line feed; the quote is what matters.
        expected = "'" + PAYLOADS[trigger].replace("\r", "\n")
        assert row["description"] == expected and row["notes"] == expected, trigger
        assert float(row["project_worth"]) == 1250 and isinstance(row["version"], int)
        assert row["created_at"].year >= 2024  # a real date cell, not text
    book = load_workbook(io.BytesIO(raw))  # no cell anywhere is a formula
    assert not [c for row in book.worksheets[0].iter_rows() for c in row if c.data_type == "f"]


async def test_the_whole_tenant_in_several_pages_with_filters(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "PAGE", 2)  # keyset paging across several queries
    admin, (u0, u1) = tenant.admin, tenant.users
    tag = uuid.uuid4().hex[:8]
    cities = ["B", None, "A", "C", None]
    mine = [await make(u0, "lead", tag=tag, city=c) for c in cities]
    theirs = await make(u1, "lead", tag=tag, lead_status="lost", city=None)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        _, raw = await fetch(admin, "lead", f"format={fmt}&q={tag}&sort=city")
        ids = [str(row["id"]) for row in read(raw)]
        assert len(ids) == 6 and set(ids) == {m["id"] for m in [*mine, theirs]}
        cities_out = [row["city"] or None for row in read(raw)]
        assert cities_out[:3] == ["A", "B", "C"] and cities_out[3:] == [None, None, None]
        _, raw = await fetch(admin, "lead", f"format={fmt}&q={tag}&user_id={u1.user_id}")
        assert [str(row["id"]) for row in read(raw)] == [theirs["id"]]
        _, raw = await fetch(admin, "lead", f"format={fmt}&q={tag}&status=lost")
        assert [str(row["id"]) for row in read(raw)] == [theirs["id"]]


@pytest.mark.parametrize("entity", OVERVIEW_ENTITIES)
async def test_every_overview_entity_exports_and_users_get_403(
    tenant: TenantHandle, entity: str
) -> None:
    record = await make(tenant.users[0], entity)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        _, raw = await fetch(tenant.admin, entity, f"format={fmt}")
        assert record["id"] in [str(row["id"]) for row in read(raw)]
        r = await tenant.users[0].get(export_url(entity, f"format={fmt}"))
        assert r.status == 403 and (await r.json())["code"] == "forbidden"


async def test_bad_parameters_answer_422_before_streaming(tenant: TenantHandle) -> None:
    for query, field in {
        "format=pdf": "format",
        "format=csv&limit=10": "limit",
        "format=csv&cursor=x": "cursor",
        "format=csv&offset=1": "offset",
        "format=csv&count=true": "count",
        "format=csv&status=oil": "lead_status",
        "format=csv&sort=password_hash": "sort",
    }.items():
        r = await tenant.admin.get(export_url("lead", query))
        assert r.status == 422, query
        field_error(await r.json(), field)


def test_neutralise() -> None:
    for trigger in TRIGGERS:
        assert export.neutralise(f"{trigger}1+1") == f"'{trigger}1+1"
    for safe in ("", "1+1", "a=b", " =1", "'=1", "Ω"):
        assert export.neutralise(safe) == safe


async def test_a_failure_mid_stream_truncates_the_download(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the 200 is out, a failure cannot become an error response: the connection is cut
    before the final chunk, so the client knows the file is incomplete."""
    monkeypatch.setattr(export, "PAGE", 1)
    tag = uuid.uuid4().hex[:8]
    for _ in range(3):
        await make(tenant.users[0], "lead", tag=tag)
    real = export._csv_text
    calls = 0

    def failing(rows: list[list[str]]) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 3:  # header, first page, then the second page fails
            raise RuntimeError("database went away")
        return real(rows)

    monkeypatch.setattr(export, "_csv_text", failing)
    r = await tenant.admin.get(export_url("lead", f"format=csv&q={tag}"))
    assert r.status == 200
    with pytest.raises(ClientPayloadError):
        await r.read()
