"""``GET /api/v1/reports/{name}``: the fourteen reports of API.md, as JSON or as a CSV / XLSX
download (``?format=``). One route per report, so each declares its own access (user-activity
and sync-health need the admin role) and appears in the OpenAPI document by name."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiohttp import web

from sync_server.http.keys import repos
from sync_server.http.parsing import json_response, query_params
from sync_server.http.routing import Access, Handler, RouteTable
from sync_server.schemas.reports import ReportName, ReportQuery, ReportResponse
from sync_server.services.reports import REPORTS, parse_query, run_report
from sync_server.services.reports.export import MEDIA_TYPES, filename, to_csv, to_xlsx

routes = RouteTable()
R = "/api/v1/reports"


async def _download(report: ReportResponse, fmt: str) -> web.Response:
    body = to_csv(report) if fmt == "csv" else await asyncio.to_thread(to_xlsx, report)
    headers = {
        "Content-Type": MEDIA_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="{filename(report, fmt)}"',
    }
    return web.Response(body=body, headers=headers)


def _handler(name: ReportName) -> Handler:
    async def report(request: web.Request) -> web.Response:
        query = parse_query(query_params(request))
        result = await run_report(repos(request), name, query, datetime.now(UTC))
        if query.format != "json":
            return await _download(result, query.format)
        return json_response(result.model_dump(mode="json"))

    return report


for _definition in REPORTS.values():
    routes.add(
        "GET",
        f"{R}/{_definition.name}",
        _handler(_definition.name),
        access=Access.ADMIN if _definition.admin_only else Access.USER,
        tag="reports",
        summary=_definition.summary,
        query_model=ReportQuery,
        response_model=ReportResponse,
        # Every query of a report reads the same committed state (REPEATABLE READ on PostgreSQL).
        snapshot=True,
    )
