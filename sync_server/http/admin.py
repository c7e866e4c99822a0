"""Admin overviews, bulk actions and exports of leads, clients, projects and accounts: one set
of generic handlers, registered once per overview entity (whole tenant, role ``admin``)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any

from aiohttp import web

from sync_server.entities import ENTITIES, EntitySpec
from sync_server.http.keys import REQUEST_ID, repos
from sync_server.http.middleware import add_headers
from sync_server.http.parsing import json_response, parse_body, query_params
from sync_server.http.records import if_match, record_id, record_response
from sync_server.http.routing import Access, Handler, RouteTable
from sync_server.schemas.admin import (
    EXPORT_QUERIES,
    OVERVIEW_ENTITIES,
    OVERVIEW_QUERIES,
    BulkRequest,
    BulkResponse,
)
from sync_server.schemas.list import list_envelope
from sync_server.services import admin_records, bulk, export
from sync_server.services.records import etag, serialize

routes = RouteTable()
A = "/api/v1/admin"
TAG = "admin"


async def _stream(
    request: web.Request, chunks: AsyncGenerator[bytes, None], media_type: str, name: str
) -> web.StreamResponse:
    """A chunked download. Headers are final once sent, so the ones the middlewares add to
    every response (no-store, request id, CORS...) are added here, before ``prepare``."""
    response = web.StreamResponse(
        headers={
            "Content-Type": media_type,
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Request-ID": request.get(REQUEST_ID, ""),
        }
    )
    add_headers(request, response)
    response.enable_chunked_encoding()
    await response.prepare(request)
    async with contextlib.aclosing(chunks):
        try:
            async for chunk in chunks:
                await response.write(chunk)
        except Exception:
            # The 200 is sent already: cut the connection, so the client sees a truncated
            # download (no final chunk) instead of a file that looks complete.
            if request.transport is not None:
                request.transport.close()
            raise
    await response.write_eof()
    return response


def _handlers(spec: EntitySpec) -> dict[str, Handler]:
    async def overview(request: web.Request) -> web.Response:
        query = admin_records.overview_query(spec, query_params(request))
        return json_response(await admin_records.overview_page(repos(request), spec, query))

    async def bulk_action(request: web.Request) -> web.Response:
        body = await parse_body(request, BulkRequest)
        results = await bulk.run(repos(request), spec, body)
        return json_response(
            BulkResponse.model_validate({"results": results}).model_dump(mode="json")
        )

    async def export_rows(request: web.Request) -> web.StreamResponse:
        params = query_params(request)
        query = admin_records.overview_query(spec, params, export=True)
        fmt = admin_records.export_format(params)
        r = repos(request)
        media_type, name = export.MEDIA_TYPES[fmt], export.filename(spec, fmt)
        chunks = export.csv_chunks if fmt == "csv" else export.xlsx_chunks
        return await _stream(request, chunks(r, spec, query), media_type, name)

    async def detail(request: web.Request) -> web.Response:
        row = await admin_records.get_any(repos(request), spec, record_id(request))
        return json_response(serialize(spec, row), headers={"ETag": etag(row)})

    async def edit(request: web.Request) -> web.Response:
        body = await parse_body(request, spec.update)
        result = await admin_records.update_any(
            repos(request),
            spec,
            record_id(request),
            body.model_dump(exclude_unset=True),
            if_match(request),
        )
        return record_response(spec, result)

    return {
        "overview": overview,
        "bulk": bulk_action,
        "export": export_rows,
        "detail": detail,
        "edit": edit,
    }


def _register(spec: EntitySpec) -> None:
    h, base = _handlers(spec), f"{A}/{spec.path}"
    common: dict[str, Any] = {"access": Access.ADMIN, "tag": TAG}
    routes.add(
        "GET",
        base,
        h["overview"],
        summary=f"All {spec.path} of the tenant, filtered and sorted (admin)",
        query_model=OVERVIEW_QUERIES[spec.name],
        response_model=list_envelope(spec.read),
        **common,
    )
    routes.add(
        "POST",
        f"{base}/bulk",
        h["bulk"],
        summary=f"Assign, set the status of, or trash up to 500 {spec.path} (admin)",
        request_model=BulkRequest,
        response_model=BulkResponse,
        **common,
    )
    routes.add(
        "GET",
        f"{base}/export",
        h["export"],
        summary=f"The filtered {spec.path} as CSV or XLSX, streamed (admin)",
        query_model=EXPORT_QUERIES[spec.name],
        snapshot=True,  # every page of the export reads the same committed state
        **common,
    )
    routes.add(
        "GET",
        f"{base}/{{id}}",
        h["detail"],
        summary=f"Any {spec.name} of the tenant, trashed included (admin)",
        response_model=spec.read,
        **common,
    )
    routes.add(
        "PATCH",
        f"{base}/{{id}}",
        h["edit"],
        summary=f"Edit any {spec.name} of the tenant (If-Match; admin)",
        request_model=spec.update,
        response_model=spec.read,
        **common,
    )


for _name in OVERVIEW_ENTITIES:
    _register(ENTITIES[_name])
