"""Platform operations: create tenants and users (CLI, demo seed, admin user management)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from sync_server.db.engine import Database
from sync_server.db.models import User
from sync_server.db.repositories import Repositories, lookup_login
from sync_server.errors import ApiError, ErrorCode, validation_error
from sync_server.security.passwords import hash_password, password_problems
from sync_server.services.sync_events import announce, everyone
from sync_server.tenancy import ADMIN, TenantContext, mint_for_platform

KNOWN_ROLES = ("admin", "user", "file_uploads")


@dataclass(frozen=True, slots=True)
class NewUser:
    email: str
    password: str
    name: str = ""
    roles: tuple[str, ...] = ("user",)


def _check_user(new: NewUser) -> None:
    problems: dict[str, list[str]] = {}
    if "@" not in new.email or len(new.email) > 254:
        problems["email"] = ["not a valid email"]
    if pw := password_problems(new.password):
        problems["password"] = pw
    if bad := [r for r in new.roles if r not in KNOWN_ROLES]:
        problems["roles"] = [f"unknown role(s): {', '.join(bad)}; known: {', '.join(KNOWN_ROLES)}"]
    if problems:
        raise validation_error(problems)


async def add_user(repos: Repositories, new: NewUser, rounds: int) -> User:
    """Create a user in ``repos``' tenant. Email is unique across the platform."""
    _check_user(new)
    email = new.email.strip().lower()
    user = User(
        id=uuid.uuid4(),
        email=email,
        name=new.name or email.split("@")[0],
        password_hash=await hash_password(new.password, rounds),
    )
    try:
        created = await repos.users.create(user, sorted(set(new.roles)))
    except IntegrityError as exc:
        raise ApiError(
            ErrorCode.CONFLICT,
            "A user with this email already exists",
            {"fields": {"email": ["taken"]}},
        ) from exc
    # Every device mirrors the tenant's users (assignment pickers): tell them all.
    await announce(repos, "user", created.id, await everyone(repos))
    return created


async def create_tenant(
    db: Database, name: str, admin: NewUser, rounds: int, config: dict[str, Any] | None = None
) -> tuple[TenantContext, User]:
    """A new tenant with its first admin, in one transaction."""
    _check_user(admin)
    async with db.platform_session() as session:
        if await lookup_login(session, admin.email):
            raise ApiError(ErrorCode.CONFLICT, "A user with this email already exists")
    tenant_id = uuid.uuid4()
    ctx = mint_for_platform(tenant_id)
    async with db.session(ctx) as session:
        repos = Repositories(ctx, session)
        await repos.tenants.create(name, config or {})
        roles = tuple(sorted({ADMIN, "user", *admin.roles}))
        user = await add_user(
            repos, NewUser(admin.email, admin.password, admin.name, roles), rounds
        )
    return mint_for_platform(tenant_id, user.id, roles), user


async def create_user(db: Database, tenant_id: uuid.UUID, new: NewUser, rounds: int) -> User:
    ctx = mint_for_platform(tenant_id)
    async with db.session(ctx) as session:
        repos = Repositories(ctx, session)
        if await repos.tenants.get() is None:
            raise ApiError(ErrorCode.NOT_FOUND, "tenant not found")
        return await add_user(repos, new, rounds)
