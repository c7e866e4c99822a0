"""One rule for every query string: a parameter given more than once answers 422 in the one error
shape (``http.parsing.query_params``), never "the first one wins". List filters take several
values comma-separated (``?lead_status=new,lost``), so no parameter is multi-valued by repetition.

Every GET route is probed: those whose query the route table describes (a record list or a query
model) automatically, the two Trash lists by name, and a meta-test fails when a new GET route is
neither probed nor listed as reading no query string. A scan of the source keeps every handler
reading its query string through the one helper.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aiohttp import web

from sync_server.app import route_table
from sync_server.http.routing import Access, RouteSpec
from tests.support.tenants import Actor, TenantHandle

API = "/api/v1"
PACKAGE = Path(__file__).resolve().parents[2] / "sync_server"
REPEATED = ["given more than once"]

# GET routes that read no query string (a parameter sent to them is ignored).
NO_QUERY = {
    *(f"{API}/{e}/{{id}}" for e in ("leads", "clients", "projects", "accounts")),
    *(f"{API}/{e}/{{id}}" for e in ("subscriptions", "contacts", "interactions", "notes")),
    *(f"{API}/admin/{e}/{{id}}" for e in ("leads", "clients", "projects", "accounts")),
    f"{API}/admin/conflicts/{{id}}",
    f"{API}/config",
    f"{API}/admin/config",
    f"{API}/preferences",
    f"{API}/auth/me",
    f"{API}/sync/ws",
    f"{API}/openapi.json",
    "/api/docs",
    "/api/docs/init.js",
    "/api/docs/static/{name}",
    "/healthz",
    "/readyz",
    "/metrics",
    "/{path:(?!api/).*}",
}
# Routes reading a query string that their declaration does not describe.
UNDECLARED = {
    f"{API}/trash": {"entity": "lead", "limit": "5", "count": "true", "q": "probe"},
    f"{API}/admin/trash": {"entity": "lead", "limit": "5", "count": "true", "q": "probe"},
}
LIST_PROBE = {"limit": "5", "count": "true", "q": "probe"}
# A valid value of each parameter a query model may have (the admin's own id for ``user_id``).
VALID = {
    "limit": "5",
    "count": "true",
    "q": "probe",
    "format": "csv",
    "created_from": "2024-01-01",
    "user_id": "{admin}",
}


def probe(spec: RouteSpec) -> dict[str, str] | None:
    """A valid query of the route, every parameter of which the test repeats; None: no query."""
    if spec.path in UNDECLARED:
        return UNDECLARED[spec.path]
    if "list_spec" in spec.extra:
        return LIST_PROBE
    if spec.query_model is not None:
        found = {n: VALID[n] for n in spec.query_model.model_fields if n in VALID}
        assert found, f"{spec.path}: give VALID a value of one of its query parameters"
        return found
    return None


def unclassified(specs: list[RouteSpec]) -> set[str]:
    """GET routes neither probed nor known to read no query string."""
    return {s.path for s in specs if s.method == "GET" and probe(s) is None} - NO_QUERY


def test_every_get_route_is_probed_or_reads_no_query() -> None:
    table = route_table()
    assert unclassified(table.specs) == set(), "probe the route, or add it to NO_QUERY"
    declared = {s.path: s for s in table.specs if s.method == "GET"}
    assert set(UNDECLARED) | NO_QUERY <= declared.keys(), "stale entries"
    assert not {p for p in NO_QUERY if probe(declared[p]) is not None}, "reads a query after all"

    async def widgets(_request: web.Request) -> web.Response:
        return web.Response()

    table.add("GET", f"{API}/widgets", widgets, access=Access.USER)
    assert unclassified(table.specs) == {f"{API}/widgets"}


def test_handlers_read_the_query_string_through_the_one_helper() -> None:
    reads = re.compile(r"\brequest\.(?:rel_url\.|url\.)?query(?:_string)?\b")
    helper = PACKAGE / "http" / "parsing.py"
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != helper
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if reads.search(line)
    ]
    assert offenders == [], "read the query string with http.parsing.query_params"
    assert reads.search("    params = dict(request.query)")  # the scan sees the old habit


async def _get(actor: Actor, path: str, pairs: list[tuple[str, str]]) -> tuple[int, Any]:
    r = await actor.get(path, params=pairs)
    return r.status, (await r.json() if r.content_type == "application/json" else None)


async def test_a_repeated_parameter_answers_422_on_every_route(tenant: TenantHandle) -> None:
    admin = tenant.admin
    problems: list[str] = []
    probed = 0
    for spec in route_table().specs:
        query = probe(spec) if spec.method == "GET" else None
        if query is None:
            continue
        assert "{" not in spec.path, f"{spec.path}: extend the probe for path parameters"
        pairs = [(n, v.format(admin=admin.user_id)) for n, v in query.items()]
        status, body = await _get(admin, spec.path, pairs)
        if status != 200:
            problems.append(f"{spec.path}?{pairs}: {status} {body}, wanted 200 once")
            continue
        for name, value in pairs:
            status, body = await _get(admin, spec.path, [*pairs, (name, value)])
            fields = (body or {}).get("details", {}).get("fields")
            if status != 422 or body["code"] != "validation_error" or fields != {name: REPEATED}:
                problems.append(f"{spec.path} {name} twice: {status} {body}")
        probed += 1
    assert not problems, "\n".join(problems)
    assert probed >= 8 + 2 + 1 + 1 + 4 + 4 + 14  # lists, Trash, users, conflicts, overviews...


async def test_different_values_of_a_filter_are_refused_not_reduced(
    tenant: TenantHandle,
) -> None:
    """Before the rule, ``?lead_status=new&lead_status=lost`` listed the new leads only."""
    admin = tenant.admin
    for path in (f"{API}/leads", f"{API}/admin/leads", f"{API}/trash?entity=lead"):
        r = await admin.get(f"{path}{'&' if '?' in path else '?'}lead_status=new&lead_status=lost")
        assert r.status == 422, await r.text()
        assert (await r.json())["details"]["fields"] == {"lead_status": REPEATED}
    r = await admin.get(f"{API}/leads?lead_status=new,lost")  # several values: comma-separated
    assert r.status == 200, await r.text()
    r = await admin.get(f"{API}/trash?entity=lead&entity=client")
    assert (r.status, (await r.json())["details"]["fields"]) == (422, {"entity": REPEATED})
