"""Route declarations: every route states its auth where it is registered.

``RouteTable.route(...)`` requires ``auth=``; ``check_all_declared`` runs at start-up and refuses to
start an application holding a route added any other way (no silent public endpoints).
The same declarations feed the OpenAPI document (``sync_server.contracts``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Access(StrEnum):
    PUBLIC = "public"
    USER = "user"  # any authenticated, active user of the tenant
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class RouteSpec:
    method: str
    path: str
    handler: Handler
    access: Access
    roles: frozenset[str] = frozenset()
    summary: str = ""
    tag: str = ""
    request_model: type[Any] | None = None
    response_model: type[Any] | None = None
    status: int = 200
    query_model: type[Any] | None = None
    # Run the request in one snapshot (REPEATABLE READ on PostgreSQL): sync pulls need every
    # statement to see the same committed state.
    snapshot: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class RouteTable:
    def __init__(self) -> None:
        self.specs: list[RouteSpec] = []

    def add(self, method: str, path: str, handler: Handler, *, access: Access, **kw: Any) -> None:
        self.specs.append(RouteSpec(method.upper(), path, handler, access, **kw))

    def route(
        self, method: str, path: str, *, access: Access, **kw: Any
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, path, handler, access=access, **kw)
            return handler

        return register

    def extend(self, other: RouteTable) -> None:
        self.specs.extend(other.specs)

    def install(self, app: web.Application) -> dict[Handler, RouteSpec]:
        by_handler: dict[Handler, RouteSpec] = {}
        for spec in self.specs:
            app.router.add_route(spec.method, spec.path, spec.handler)
            by_handler[spec.handler] = spec
        return by_handler


def check_all_declared(app: web.Application, declared: dict[Handler, RouteSpec]) -> None:
    """Fail start-up when a route exists without an auth declaration."""
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        if route.handler not in declared and not getattr(route.handler, "pathsix_static", False):
            info = route.resource.canonical
            raise RuntimeError(f"route {route.method} {info} has no auth declaration")
