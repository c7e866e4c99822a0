"""Tenant isolation over EVERY route: tenant B's admin and user call each route with tenant A's
ids in every path parameter, filter, reference and sync mutation, and must get 404 (403 where
the route needs a role they lack), an empty list, or a refusal, and never see one of A's ids or
names in a response. A meta-test fails when a route exists that ``CASES`` has no entry for, so a
new route cannot ship without joining this test.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_args

import pytest
from aiohttp import web
from openpyxl import load_workbook

from sync_server.app import route_table
from sync_server.entities import ENTITIES
from sync_server.http.keys import SERVICES
from sync_server.http.routing import Access, RouteSpec
from sync_server.http.trash import TRASH_ENTITIES
from sync_server.schemas.admin import OVERVIEW_ENTITIES
from sync_server.services.reports import REPORTS
from tests.support.records import TEXT_FIELD, World, body_for, build_world, make, world_snapshot
from tests.support.tenants import Actor, TenantHandle

API, TRASH, SYNC = "/api/v1", "/api/v1/trash", "/api/v1/sync"
CONFLICTS, USERS = f"{API}/admin/conflicts", f"{API}/admin/users"


def _fresh_email() -> str:
    return f"probe-{uuid.uuid4().hex[:10]}@example.com"


class Kind(StrEnum):
    PUBLIC = "public"  # no token needed: must still never show tenant data
    SELF = "self"  # about the caller only (no ids in the route)
    LIST = "list"  # a record list: A's ids as filter values
    TRASH_LIST = "trash_list"
    CREATE = "create"  # A's ids as parent references and assignee
    ITEM = "item"  # A's ids in the path
    QUERY_LIST = "query_list"  # a list declared by a query model: A's ids in its uuid params
    BULK = "bulk"  # A's ids in the body, per-id results
    SYNC_PUSH = "sync_push"  # A's ids as mutation targets and references
    SYNC_PULL = "sync_pull"
    ADMIN_LIST = "admin_list"  # a whole-tenant overview: A's ids in every uuid filter at once
    EXPORT = "export"  # an overview's CSV/XLSX download: A's ids as filters, no A data in it
    BODY = "body"  # about the caller's own tenant, with a body: answers ``ok``
    REPORT = "report"  # JSON and CSV with no A data; A's user ids as ``user_id`` are refused
    SEARCH = "search"  # A's words (record tag, user emails) find nothing


@dataclass(frozen=True)
class Case:
    kind: Kind
    entity: str | None = None  # whose ids go in {id}; None with {entity}: every Trash entity
    body: Callable[[World], Any] | None = None  # the request body, given A's world
    ok: int = 200  # the success status of a BODY route


PUBLIC_ROUTES = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("POST", f"{API}/auth/login"),
    ("POST", f"{API}/auth/forgot-password"),
    ("POST", f"{API}/auth/reset-password"),
    ("GET", f"{SYNC}/ws"),  # authenticates inside the WebSocket handshake
    ("GET", f"{API}/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/docs/init.js"),
    ("GET", "/api/docs/static/{name}"),
    ("GET", "/{path:(?!api/).*}"),  # the PWA shell
}


def _cases() -> dict[tuple[str, str], Case]:
    cases = {key: Case(Kind.PUBLIC) for key in PUBLIC_ROUTES}
    for spec in ENTITIES.values():
        base = f"{API}/{spec.path}"
        cases[("GET", base)] = Case(Kind.LIST, spec.name)
        cases[("POST", base)] = Case(Kind.CREATE, spec.name)
        for method in ("GET", "PATCH", "DELETE"):
            cases[(method, base + "/{id}")] = Case(Kind.ITEM, spec.name)
    cases[("POST", f"{API}/leads/{{id}}/convert")] = Case(Kind.ITEM, "lead")
    cases[("GET", TRASH)] = Case(Kind.TRASH_LIST)
    cases[("POST", TRASH + "/{entity}/{id}/restore")] = Case(Kind.ITEM)
    cases[("DELETE", TRASH + "/{entity}/{id}")] = Case(Kind.ITEM)
    cases[("POST", TRASH + "/purge")] = Case(
        Kind.BULK,
        body=lambda w: {
            "items": [{"entity": e, "id": i} for e in TRASH_ENTITIES for i in w.ids[e]]
        },
    )
    cases[("GET", f"{API}/admin/trash")] = Case(Kind.TRASH_LIST)
    cases[("POST", f"{API}/admin/trash/restore")] = Case(
        Kind.BULK,
        body=lambda w: {
            "items": [{"entity": e, "id": i} for e in TRASH_ENTITIES for i in w.ids[e]]
        },
    )
    cases[("GET", CONFLICTS)] = Case(Kind.QUERY_LIST)
    cases[("GET", CONFLICTS + "/{id}")] = Case(Kind.ITEM, "conflict")
    choice = {"choice": "server"}
    cases[("POST", CONFLICTS + "/{id}/resolve")] = Case(Kind.ITEM, "conflict", lambda w: choice)
    cases[("POST", CONFLICTS + "/resolve")] = Case(
        Kind.BULK, body=lambda w: {"ids": w.ids["conflict"]} | choice
    )
    for name in OVERVIEW_ENTITIES:
        base = f"{API}/admin/{ENTITIES[name].path}"
        cases[("GET", base)] = Case(Kind.ADMIN_LIST, name)
        cases[("GET", base + "/export")] = Case(Kind.EXPORT, name)
        for method in ("GET", "PATCH"):
            cases[(method, base + "/{id}")] = Case(Kind.ITEM, name)
        cases[("POST", base + "/bulk")] = Case(
            Kind.BULK, body=lambda w, n=name: {"action": "delete", "ids": w.ids[n]}
        )
    cases[("GET", USERS)] = Case(Kind.QUERY_LIST)
    cases[("POST", USERS)] = Case(Kind.BODY, body=lambda w: {"email": _fresh_email()}, ok=201)
    cases[("PATCH", USERS + "/{id}")] = Case(Kind.ITEM, "user", lambda w: {"name": "B was here"})
    for action in ("deactivate", "reactivate"):
        cases[("POST", f"{USERS}/{{id}}/{action}")] = Case(Kind.ITEM, "user")
    cases[("POST", USERS + "/{id}/reassign")] = Case(
        Kind.ITEM, "user", lambda w: {"to_user_id": w.users[-1]}
    )
    cases[("GET", f"{API}/config")] = Case(Kind.SELF)
    cases[("GET", f"{API}/admin/config")] = Case(Kind.SELF)
    cases[("PUT", f"{API}/admin/config")] = Case(Kind.BODY, body=lambda w: {"currency": "EUR"})
    cases[("GET", f"{API}/preferences")] = Case(Kind.SELF)
    cases[("PUT", f"{API}/preferences")] = Case(Kind.BODY, body=lambda w: {"page_size": 50})
    for report in REPORTS.values():
        cases[("GET", f"{API}/reports/{report.name}")] = Case(Kind.REPORT)
    cases[("GET", f"{API}/search")] = Case(Kind.SEARCH)
    cases[("GET", f"{API}/auth/me")] = Case(Kind.SELF)
    cases[("POST", f"{API}/auth/logout")] = Case(Kind.SELF)
    cases[("POST", f"{SYNC}/push")] = Case(Kind.SYNC_PUSH)
    cases[("POST", f"{SYNC}/pull")] = Case(Kind.SYNC_PULL)
    return cases


CASES = _cases()


# A path parameter, with its regex if any (one level of braces inside, as in ``\d{3}``).
PARAM = r"{(\w+)(?::[^{}]*(?:{[^{}]*}[^{}]*)*)?}"


def _canonical(path: str) -> str:
    """aiohttp's canonical form of a declared path: ``{name:regex}`` -> ``{name}``."""
    return re.sub(PARAM, r"{\1}", path)


def _uncovered(specs: list[RouteSpec]) -> set[tuple[str, str]]:
    return {(s.method, s.path) for s in specs} - CASES.keys()


def test_a_new_route_without_a_case_is_caught() -> None:
    table = route_table()
    assert _uncovered(table.specs) == set()

    async def widget(_request: web.Request) -> web.Response:
        return web.Response()

    table.add("GET", f"{API}/widgets/{{id}}", widget, access=Access.USER)
    assert _uncovered(table.specs) == {("GET", f"{API}/widgets/{{id}}")}


def test_every_route_has_a_cross_tenant_case(app: web.Application) -> None:
    specs = route_table().specs
    declared = {(s.method, s.path) for s in specs}
    assert len(declared) == len(specs), "a route is declared twice"
    routed = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.method != "HEAD" and r.resource is not None
    }
    assert routed == {(m, _canonical(p)) for m, p in declared}, "undeclared routes are served"
    missing, stale = _uncovered(specs), CASES.keys() - declared
    assert not missing, f"routes without a cross-tenant case (extend CASES): {sorted(missing)}"
    assert not stale, f"cases for routes that no longer exist: {sorted(stale)}"
    public = {(s.method, s.path) for s in specs if s.access is Access.PUBLIC}
    assert public == PUBLIC_ROUTES, "public routes are an explicit allow-list"


def _uuid_filters(entity: str) -> list[str]:
    spec = ENTITIES[entity]
    return [f for f in spec.filterable if getattr(spec.model, f).type.python_type is uuid.UUID]


def _references(entity: str) -> list[tuple[str, str]]:
    """(field, target) pairs a body may point with: parents, a note's record, the assignee."""
    spec = ENTITIES[entity]
    refs = [(p.field, p.entity) for p in spec.parents]
    refs += [("entity_id", e) for e in TRASH_ENTITIES if entity == "note"]
    return refs + ([("assigned_to", "user")] if "assigned_to" in spec.fields else [])


class Probe:
    """Calls routes as one of B's actors and records every way tenant A shows through."""

    def __init__(self, actor: Actor, world: World) -> None:
        self.actor, self.world, self.problems = actor, world, list[str]()
        self.is_admin = "admin" in actor.roles

    def fail(self, what: str, detail: str) -> None:
        self.problems.append(f"{what}: {detail}")

    async def call(
        self, method: str, path: str, body: Any = None, actor: Actor | None = None
    ) -> Any:
        r = await (actor or self.actor).request(
            method, path, **({} if body is None else {"json": body})
        )
        text = await r.text()
        echoed = json.dumps(body) if body is not None else ""  # the caller's own input may return
        seen = text + " ".join(f"{k}: {v}" for k, v in r.headers.items())
        leaked = sorted(s for s in self.world.secrets if s in seen and s not in echoed)
        if leaked:
            self.fail(f"{method} {path}", f"shows tenant A's {leaked} in {text[:300]}")
        is_json = text and r.content_type == "application/json"
        return r.status, (json.loads(text) if is_json else None)

    def expect(self, what: str, status: int, wanted: set[int], body: Any = None) -> None:
        if status not in wanted:
            self.fail(what, f"status {status}, wanted {sorted(wanted)}: {str(body)[:300]}")

    async def run(self, spec: RouteSpec, case: Case) -> None:
        await getattr(self, f"_{case.kind}")(spec, case)

    async def _public(self, spec: RouteSpec, case: Case) -> None:
        a_id = self.world.ids["lead"][0]
        path = re.sub(PARAM, a_id, spec.path)
        await self.call(spec.method, path, {} if spec.method == "POST" else None)

    async def _self(self, spec: RouteSpec, case: Case) -> None:
        a = self.actor
        tokens = a.client.app[SERVICES].tokens
        fresh = dataclasses.replace(a, token=tokens.issue(a.user_id, a.tenant_id, list(a.roles)))
        status, body = await self.call(spec.method, spec.path, actor=fresh)
        wanted = {403} if spec.access is Access.ADMIN and not self.is_admin else {200, 204}
        self.expect(spec.path, status, wanted, body)

    async def _body(self, spec: RouteSpec, case: Case) -> None:
        assert case.body
        status, body = await self.call(spec.method, spec.path, case.body(self.world))
        self.expect(spec.path, status, self._gate(spec, case.ok), body)

    def _filters_with_a_ids(self, spec: RouteSpec) -> list[str]:
        """One query per uuid parameter of the route's query model, holding all of A's ids."""
        assert spec.query_model is not None
        fields = spec.query_model.model_fields.items()
        names = [n for n, f in fields if uuid.UUID in (f.annotation, *get_args(f.annotation))]
        return [f"{name}={','.join(self.world.uuids)}" for name in names]

    async def _admin_list(self, spec: RouteSpec, case: Case) -> None:
        status, body = await self.call("GET", spec.path)
        self.expect(spec.path, status, self._gate(spec, 200), body)
        if status != 200:
            return
        for query in self._filters_with_a_ids(spec):
            status, body = await self.call("GET", f"{spec.path}?{query}&count=true")
            self.expect(f"{spec.path} {query[:40]}", status, {200}, body)
            if status == 200 and (body["items"] or body["total"] != 0):
                self.fail(f"{spec.path} {query[:40]}", f"found {body['total']} rows")

    async def _export(self, spec: RouteSpec, case: Case) -> None:
        status, _ = await self.call("GET", f"{spec.path}?format=csv")
        self.expect(spec.path, status, self._gate(spec, 200))
        if status != 200:
            return
        for query in self._filters_with_a_ids(spec):
            r = await self.actor.get(f"{spec.path}?format=csv&{query}")
            rows = (await r.text()).strip().splitlines()
            if r.status != 200 or len(rows) != 1:  # the header only
                self.fail(f"{spec.path} {query[:40]}", f"status {r.status}, {len(rows)} lines")
        r = await self.actor.get(f"{spec.path}?format=xlsx")
        book = load_workbook(io.BytesIO(await r.read()), read_only=True)
        cells = " ".join(
            str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row
        )
        if leaked := sorted(s for s in self.world.secrets if s in cells):
            self.fail(f"{spec.path} xlsx", f"shows tenant A's {leaked}")

    async def _lists(self, what: str, base: str, entity: str) -> None:
        status, body = await self.call("GET", base)
        self.expect(what, status, {200}, body)
        for field in _uuid_filters(entity):
            sep = "&" if "?" in base else "?"
            query = f"{sep}{field}={','.join(self.world.uuids)}&count=true"
            status, body = await self.call("GET", base + query)
            self.expect(f"{what} {field}=A ids", status, {200}, body)
            if status == 200 and (body["items"] or body["total"] != 0):
                self.fail(f"{what} {field}=A ids", f"found {body['total']} rows")

    async def _list(self, spec: RouteSpec, case: Case) -> None:
        assert case.entity
        await self._lists(spec.path, spec.path, case.entity)

    async def _trash_list(self, spec: RouteSpec, case: Case) -> None:
        if spec.access is Access.ADMIN and not self.is_admin:
            status, body = await self.call("GET", f"{spec.path}?entity=lead")
            self.expect(spec.path, status, {403}, body)
            return
        for entity in TRASH_ENTITIES:
            await self._lists(f"{spec.path} {entity}", f"{spec.path}?entity={entity}", entity)

    async def _bodies_pointing_at_a(self, entity: str) -> list[dict[str, Any]]:
        body = await body_for(self.actor, entity)
        out = []
        for field, target in _references(entity):
            for a_id in self.world.users if target == "user" else self.world.ids[target]:
                out.append(
                    body | {field: a_id} | ({"entity": target} if field == "entity_id" else {})
                )
        return out

    async def _create(self, spec: RouteSpec, case: Case) -> None:
        assert case.entity
        for sent in await self._bodies_pointing_at_a(case.entity):
            status, answer = await self.call("POST", spec.path, sent)
            self.expect(f"POST {spec.path} {sent}", status, {422}, answer)

    def _gate(self, spec: RouteSpec, ok: int) -> set[int]:
        """What a route may answer: ``ok``, or 403 when it needs a role the caller lacks."""
        return {403} if spec.access is Access.ADMIN and not self.is_admin else {ok}

    async def _item(self, spec: RouteSpec, case: Case) -> None:
        params = re.findall(r"{(\w+)}", spec.path)
        assert set(params) <= {"id", "entity"}, f"extend the probe for {params}"
        for entity in [case.entity] if case.entity else list(TRASH_ENTITIES):
            body: Any = case.body(self.world) if case.body else None
            if body is None and spec.method in ("PATCH", "POST"):
                body = {TEXT_FIELD[entity]: "B was here"} if spec.method == "PATCH" else {}
            for a_id in self.world.users if entity == "user" else self.world.ids[entity]:
                path = spec.path.replace("{id}", a_id).replace("{entity}", entity)
                status, answer = await self.call(spec.method, path, body)
                self.expect(f"{spec.method} {path}", status, self._gate(spec, 404), answer)

    async def _bulk(self, spec: RouteSpec, case: Case) -> None:
        assert case.body
        sent = case.body(self.world)
        n = len(sent.get("items") or sent.get("ids"))
        status, body = await self.call(spec.method, spec.path, sent)
        self.expect(spec.path, status, self._gate(spec, 200), body)
        results = (body or {}).get("results", []) if status == 200 else [None] * n
        if len(results) != n or any(
            r is not None and (r["status"] != "failed" or r["error"]["code"] != "not_found")
            for r in results
        ):
            self.fail(spec.path, f"acted on A's ids, or odd results: {results}")

    async def _query_list(self, spec: RouteSpec, case: Case) -> None:
        status, body = await self.call("GET", spec.path)
        self.expect(spec.path, status, self._gate(spec, 200), body)
        if status != 200:
            return
        assert spec.query_model is not None, "a QUERY_LIST route declares its query model"
        fields = spec.query_model.model_fields.items()
        for name in [n for n, f in fields if uuid.UUID in (f.annotation, *get_args(f.annotation))]:
            for a_id in self.world.uuids:
                status, body = await self.call("GET", f"{spec.path}?{name}={a_id}&count=true")
                self.expect(f"{spec.path} {name}=A", status, {200}, body)
                if status == 200 and (body["items"] or body.get("total")):
                    self.fail(f"{spec.path} {name}={a_id}", f"found {body['total']} rows")

    async def _search(self, spec: RouteSpec, case: Case) -> None:
        words = [s for s in self.world.secrets if s.startswith("zq")]  # the records' tag
        words += [s.split("@")[0] for s in self.world.secrets if "@" in s]  # users' emails
        assert words
        for word in words:
            status, body = await self.call("GET", f"{spec.path}?q={word}")
            self.expect(f"{spec.path}?q={word}", status, {200}, body)
            if status == 200 and body["items"]:
                self.fail(f"{spec.path}?q={word}", f"found {body['items']}")

    async def _report(self, spec: RouteSpec, case: Case) -> None:
        for fmt in ("json", "csv"):
            status, body = await self.call("GET", f"{spec.path}?format={fmt}")
            self.expect(f"{spec.path} {fmt}", status, self._gate(spec, 200), body)
        # Another tenant's user is no user here: 422 for an admin, 403 (not you) for a user.
        for a_user in self.world.users:
            status, body = await self.call("GET", f"{spec.path}?user_id={a_user}")
            self.expect(f"{spec.path} user_id=A", status, {422} if self.is_admin else {403}, body)

    async def _sync_push(self, spec: RouteSpec, case: Case) -> None:
        mutations: list[dict[str, Any]] = []
        expected: list[str] = []
        for entity in ENTITIES:
            ids = self.world.ids[entity]
            ops = ["update", "delete", "restore"] + (["convert"] if entity == "lead" else [])
            for a_id, op in ((i, op) for i in ids for op in ops):
                fields = {TEXT_FIELD[entity]: "B was here"} if op == "update" else {}
                mutations.append({"entity": entity, "id": a_id, "op": op, "fields": fields})
                expected.append("not_found")
            for fields in await self._bodies_pointing_at_a(entity):
                new_id = str(uuid.uuid4())
                mutations.append({"entity": entity, "id": new_id, "op": "create", "fields": fields})
                expected.append("validation_error")
        for mid, m in enumerate(mutations, start=1):
            m.update(mid=mid, base_seq=0)
        push = {"client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": mutations}
        status, body = await self.call("POST", spec.path, push)
        self.expect(spec.path, status, {200}, body)
        got = [
            (r["status"], (r["error"] or {}).get("code")) for r in (body or {}).get("results", [])
        ]
        if got != [("rejected", code) for code in expected]:
            odd = [(m, g) for m, g, e in zip(mutations, got, expected, strict=False) if g[1] != e]
            self.fail(spec.path, f"{len(got)} results, unexpected: {odd[:5]}")

    async def _sync_pull(self, spec: RouteSpec, case: Case) -> None:
        pull: dict[str, Any] = {"client_id": str(uuid.uuid4()), "schema_version": 1, "limit": 7}
        for _ in range(50):
            status, body = await self.call("POST", spec.path, pull)
            self.expect(spec.path, status, {200}, body)
            if status != 200 or not body["has_more"]:
                return
            pull["cursor"] = body["cursor"]
        self.fail(spec.path, "pull did not finish")


@pytest.mark.parametrize("who", ["admin", "user"])
async def test_tenant_b_cannot_reach_tenant_a(
    tenant: TenantHandle, other_tenant: TenantHandle, who: str
) -> None:
    world = await build_world(tenant)
    b = other_tenant
    for kind in ENTITIES:  # B has data of its own, so empty answers are not trivially empty
        await make(b.admin, kind)
        await make(b.users[0], kind)
    probe = Probe(b.admin if who == "admin" else b.users[0], world)
    for spec in route_table().specs:
        await probe.run(spec, CASES[(spec.method, spec.path)])
    assert not probe.problems, "\n".join(probe.problems)
    # Nothing of A changed: every row is there with the version, Trash state and status it had.
    assert await world_snapshot(tenant) == world.snapshot
