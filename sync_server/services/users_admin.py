"""Admin user management: list, create or invite, rename and set roles, deactivate and
reactivate (never a hard delete), and hand all of a user's records to someone else.

- The tenant always keeps an active admin: a change that would leave none (dropping the last
  admin's role, deactivating them) answers 409. Such changes first lock the tenant clock, so two
  admins demoting each other at once cannot both pass the check.
- Deactivation needs nothing more to cut the user off: every request (REST, sync push and pull,
  the poke socket) checks the token's user is active (``AuthService.check_live``), so their
  tokens answer 401 from then on and their devices with them.
- Every user change is announced to every device (``user`` entity: assignment pickers).
- Reassignment moves each record through the one write path, so devices receive it by sync (the
  new owner gets the records, the old owner's devices their eviction): one batch, each entity's
  records and their children read in one query each, one savepoint per entity (``each_in_batch``).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog

from sync_server.db.models import PasswordReset, User
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.platform import UserQuery
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found, validation_error
from sync_server.schemas.users import UserCreate, UsersQuery, UserUpdate
from sync_server.security.tokens import ResetTokenSigner
from sync_server.services.auth import password_fingerprint
from sync_server.services.mail import Mail, Mailer
from sync_server.services.sync_events import announce, everyone
from sync_server.services.tenants import NewUser, add_user
from sync_server.services.write_path import RecordWriter, each_in_batch
from sync_server.tenancy import ADMIN

log = structlog.get_logger("sync_server.users")
REASSIGNED = ("lead", "client", "project")


@dataclass(frozen=True, slots=True)
class Inviter:
    """What an invitation needs: the password-reset signer, the mailer, the app's address."""

    signer: ResetTokenSigner
    mailer: Mailer
    public_url: str


def _cursor(email: str) -> str:
    return base64.urlsafe_b64encode(email.encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise validation_error({"cursor": ["invalid cursor"]}) from exc


async def _view(repos: Repositories, users: Sequence[User]) -> list[dict[str, Any]]:
    roles = await repos.users.roles_by_user()
    synced = await repos.users.last_sync([user.id for user in users])
    return [_render(user, roles.get(user.id, []), synced) for user in users]


def _render(
    user: User, roles: list[str], synced: dict[uuid.UUID, tuple[datetime, int]]
) -> dict[str, Any]:
    seen, devices = synced.get(user.id, (None, 0))
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": sorted(roles),
        "is_active": user.is_active,
        "created_at": user.created_at,
        "last_sync_at": seen,
        "devices": devices,
    }


async def list_users(repos: Repositories, query: UsersQuery) -> dict[str, Any]:
    rows, has_more, total = await repos.users.page(
        UserQuery(query.limit, _after(query.cursor), query.active, query.q, query.count)
    )
    return {
        "items": await _view(repos, rows),
        "next_cursor": _cursor(rows[-1].email) if has_more and rows else None,
        "limit": query.limit,
        "total": total,
    }


async def _one(repos: Repositories, user: User) -> dict[str, Any]:
    """One user's view: their own roles, not every user's (``_view`` reads those for a page)."""
    synced = await repos.users.last_sync([user.id])
    return _render(user, await repos.users.roles_of(user.id), synced)


async def _user(repos: Repositories, user_id: uuid.UUID) -> User:
    user = await repos.users.get(user_id)
    if user is None:
        raise not_found("user")
    return user


async def create_user(
    repos: Repositories, body: UserCreate, rounds: int, inviter: Inviter
) -> dict[str, Any]:
    """With a password the user can log in at once; without, they get an invitation: the
    password-reset mail (after commit), whose link lets them choose their password."""
    password = body.password or secrets.token_urlsafe(32)  # unknown to anyone until reset
    user = await add_user(
        repos, NewUser(body.email, password, body.name, tuple(body.roles)), rounds
    )
    if body.password is None:
        await _invite(repos, user, inviter)
    return await _one(repos, user) | {"invited": body.password is None}


async def _invite(repos: Repositories, user: User, inviter: Inviter) -> None:
    expires = datetime.now(UTC) + timedelta(seconds=inviter.signer.ttl_seconds)
    reset = await repos.resets.create(
        PasswordReset(id=uuid.uuid4(), user_id=user.id, expires_at=expires)
    )
    token = inviter.signer.sign(user.tenant_id, reset.id, password_fingerprint(user))
    minutes = inviter.signer.ttl_seconds // 60
    body = (
        "You have been invited to PathSix CRM.\n\n"
        f"Choose your password within {minutes} minutes with this link:\n\n"
        f"{inviter.public_url}/reset-password?token={token}\n\n"
        'Later, "Forgot password" on the login page sends a fresh link.\n'
    )
    repos.after_commit.append(
        _send(inviter.mailer, Mail(user.email, "Your PathSix CRM account", body))
    )


def _send(mailer: Mailer, mail: Mail) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        # The user exists already (committed); a mail failure must not turn that into a 500.
        try:
            await mailer.send(mail)
        except Exception as exc:  # any transport failure
            log.warning("invite_mail_failed", to=mail.to, error_type=type(exc).__name__)

    return send


async def _keep_an_admin(repos: Repositories, user: User, *, stays_admin: bool) -> None:
    """409 when ``user`` is the tenant's last active admin and would stop being one."""
    if stays_admin:
        return
    admins = await repos.users.active_admins()
    if user.id in admins and len(admins) == 1:
        raise ApiError(
            ErrorCode.CONFLICT,
            "The tenant needs at least one active admin",
            {"reason": "last_admin"},
        )


async def _announce(repos: Repositories, user: User) -> None:
    await repos.users.save()
    await announce(repos, "user", user.id, await everyone(repos))


async def update_user(repos: Repositories, user_id: uuid.UUID, body: UserUpdate) -> dict[str, Any]:
    await repos.clock.lock()
    user = await _user(repos, user_id)
    if body.roles is not None:
        roles = sorted(set(body.roles))
        await _keep_an_admin(repos, user, stays_admin=ADMIN in roles)
        await repos.users.set_roles(user.id, roles)
    if body.name is not None:
        user.name = body.name
    await _announce(repos, user)
    return await _one(repos, user)


async def set_active(repos: Repositories, user_id: uuid.UUID, active: bool) -> dict[str, Any]:
    await repos.clock.lock()
    user = await _user(repos, user_id)
    if not active:
        if user.id == repos.ctx.actor_id:
            raise ApiError(ErrorCode.CONFLICT, "You cannot deactivate yourself")
        await _keep_an_admin(repos, user, stays_admin=False)
    if user.is_active != active:
        user.is_active = active
        await _announce(repos, user)
    return await _one(repos, user)


async def reassign(
    repos: Repositories, user_id: uuid.UUID, to_user_id: uuid.UUID
) -> dict[str, Any]:
    """Every lead, client and project ``user_id`` owns (Trash included) -> ``to_user_id``."""
    await repos.clock.lock()
    await _user(repos, user_id)
    target = await repos.users.get(to_user_id)
    if target is None or not target.is_active or target.id == user_id:
        raise validation_error({"to_user_id": ["must be another active user of the tenant"]})
    writer = RecordWriter(repos, whole_tenant=True)
    results: list[dict[str, Any]] = []
    async with writer.batch():
        for name in REASSIGNED:
            ids = await repos.records.owned_by(ENTITIES[name], user_id)
            results += await _reassign_all(writer, ENTITIES[name], ids, to_user_id)
    return {"to_user_id": to_user_id, "results": results}


async def _reassign_all(
    writer: RecordWriter, spec: EntitySpec, ids: list[uuid.UUID], to_user_id: uuid.UUID
) -> list[dict[str, Any]]:
    """These records (of one entity) -> ``to_user_id`` in the open batch, each all-or-nothing:
    the records and the children whose visibility moves with them read in one query per entity,
    one savepoint for all."""
    if not ids:
        return []
    await writer.prefetch({spec.name: ids})
    await writer.prefetch_children(spec, ids)

    async def write(record_id: uuid.UUID) -> dict[str, Any]:
        await writer.update(spec, record_id, {"assigned_to": to_user_id})
        return {"entity": spec.name, "id": record_id, "status": "ok"}

    def failed(record_id: uuid.UUID, exc: ApiError) -> dict[str, Any]:
        return {"entity": spec.name, "id": record_id, "status": "failed", "error": exc.body()}

    return await each_in_batch(writer, ids, write, failed)
