"""Test builders: tenants with users, and an HTTP client acting as one of them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.db.engine import Database
from sync_server.security.tokens import TokenService
from sync_server.services.tenants import NewUser, create_tenant, create_user

PASSWORD = "correct horse battery"


@dataclass
class Actor:
    """A user of a tenant, with a token, calling the API through the test client."""

    client: TestClient[Any, Any]
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    roles: tuple[str, ...]
    token: str

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    async def request(self, method: str, path: str, **kw: Any) -> Any:
        kw["headers"] = self.headers(kw.get("headers"))
        return await self.client.request(method, path, **kw)

    async def get(self, path: str, **kw: Any) -> Any:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> Any:
        return await self.request("POST", path, **kw)

    async def patch(self, path: str, **kw: Any) -> Any:
        return await self.request("PATCH", path, **kw)

    async def put(self, path: str, **kw: Any) -> Any:
        return await self.request("PUT", path, **kw)

    async def delete(self, path: str, **kw: Any) -> Any:
        return await self.request("DELETE", path, **kw)


@dataclass
class TenantHandle:
    tenant_id: uuid.UUID
    admin: Actor
    users: list[Actor] = field(default_factory=list)


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


async def build_tenant(
    client: TestClient[Any, Any], db: Database, tokens: TokenService, rounds: int, n_users: int = 2
) -> TenantHandle:
    admin_email = unique_email("admin")
    ctx, admin = await create_tenant(
        db, "Tenant " + admin_email, NewUser(admin_email, PASSWORD, "Admin"), rounds
    )
    roles = ("admin", "user")
    handle = TenantHandle(
        ctx.tenant_id,
        Actor(
            client,
            admin.id,
            ctx.tenant_id,
            admin_email,
            roles,
            tokens.issue(admin.id, ctx.tenant_id, roles),
        ),
    )
    for i in range(n_users):
        email = unique_email(f"user{i}")
        user = await create_user(db, ctx.tenant_id, NewUser(email, PASSWORD, f"User {i}"), rounds)
        handle.users.append(
            Actor(
                client,
                user.id,
                ctx.tenant_id,
                email,
                ("user",),
                tokens.issue(user.id, ctx.tenant_id, ["user"]),
            )
        )
    return handle
