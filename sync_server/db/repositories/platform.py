"""Tenants, their clock, users, roles, tokens, password resets, preferences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Uuid, and_, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from sync_server.db.models import (
    LoginIdentity,
    PasswordReset,
    SyncClient,
    Tenant,
    TenantClock,
    TokenRevocation,
    User,
    UserPreference,
    UserRole,
)
from sync_server.db.models.base import utcnow
from sync_server.db.repositories.base import ScopedRepository, scoped
from sync_server.tenancy import ADMIN


async def lookup_login(session: AsyncSession, email: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """Platform-level: which tenant and user own this login email (before any tenant is known)."""
    email = email.strip().lower()
    if session.get_bind().dialect.name == "postgresql":
        stmt = text("SELECT tenant_id, user_id FROM pathsix_login_lookup(:email)")
        row = (await session.execute(stmt, {"email": email})).first()
    else:
        stmt2 = select(LoginIdentity.tenant_id, LoginIdentity.user_id).where(
            LoginIdentity.email == email
        )
        row = (await session.execute(stmt2)).first()
    return (row[0], row[1]) if row else None


class TenantsRepository(ScopedRepository):
    async def create(self, name: str, config: dict[str, Any]) -> Tenant:
        tenant = Tenant(id=self.ctx.tenant_id, name=name, config=config)
        self._session.add(tenant)
        self._session.add(TenantClock(tenant_id=self.ctx.tenant_id, seq=0, horizon_seq=0))
        await self._flush()
        return tenant

    async def get(self) -> Tenant | None:
        stmt = select(Tenant).where(Tenant.id == self.ctx.tenant_id)
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def set_config(self, config: dict[str, Any]) -> None:
        stmt = update(Tenant).where(Tenant.id == self.ctx.tenant_id).values(config=config)
        await self._session.execute(stmt)


class ClockRepository(ScopedRepository):
    """The tenant's sequence. Every writing transaction locks it *first*, before any record row:
    one lock order for everyone, so concurrent pushes and REST writes queue instead of
    deadlocking (record row, then clock, in one transaction and the reverse in another would).
    Seqs are handed out under this lock by the write path's batches (SyncRepository.lock_clock,
    PendingChanges) and it is held until commit, so seq order is commit order."""

    _locked = False

    async def lock(self) -> None:
        if self._locked:
            return
        stmt = self._select(TenantClock, TenantClock.seq).with_for_update()
        await self._session.execute(stmt)
        self._locked = True

    async def current(self) -> int:
        stmt = self._select(TenantClock, TenantClock.seq)
        return int((await self._session.execute(stmt)).scalar_one_or_none() or 0)


def like_pattern(text: str) -> str:
    """``%text%`` matching ``text`` literally: ``%``, ``_`` and ``\\`` typed are no wildcards."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class LiveToken:
    """What a request's token check needs to know, read in one statement."""

    revoked: bool
    active: bool
    roles: list[str]


@dataclass(frozen=True, slots=True)
class UserQuery:
    limit: int = 25
    after_email: str | None = None
    active: bool | None = None
    q: str | None = None
    count: bool = False


_LIVE_TOKEN = (
    scoped(
        User,
        User.is_active,
        UserRole.role,
        scoped(TokenRevocation, TokenRevocation.jti)
        .where(TokenRevocation.jti == bindparam("jti", type_=String()))
        .exists()
        .label("revoked"),
    )
    .outerjoin(UserRole, and_(UserRole.tenant_id == User.tenant_id, UserRole.user_id == User.id))
    .where(User.id == bindparam("user_id", type_=Uuid()))
)


class UsersRepository(ScopedRepository):
    async def get(self, user_id: uuid.UUID) -> User | None:
        stmt = self._select(User).where(User.id == user_id)
        user: User | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return user

    async def create(self, user: User, roles: list[str]) -> User:
        self._add(user)
        await self._flush()
        self._add(LoginIdentity(email=user.email, user_id=user.id))
        for role in roles:
            self._add(UserRole(user_id=user.id, role=role))
        await self._flush()
        return user

    async def live_token(self, user_id: uuid.UUID, jti: str) -> LiveToken | None:
        """The token's revocation, its user's active flag and roles; None: no such user. One
        statement (one row per role) because every authenticated request runs it."""
        params = {"user_id": user_id, "jti": jti}
        rows = (await self._run(_LIVE_TOKEN, params)).all()
        if not rows:
            return None
        roles = sorted(row.role for row in rows if row.role is not None)
        return LiveToken(revoked=bool(rows[0].revoked), active=bool(rows[0].is_active), roles=roles)

    async def roles_of(self, user_id: uuid.UUID) -> list[str]:
        stmt = self._select(UserRole, UserRole.role).where(UserRole.user_id == user_id)
        return sorted((await self._session.execute(stmt)).scalars())

    async def roles_by_user(self) -> dict[uuid.UUID, list[str]]:
        rows = await self._session.execute(self._select(UserRole, UserRole.user_id, UserRole.role))
        out: dict[uuid.UUID, list[str]] = {}
        for user_id, role in rows:
            out.setdefault(user_id, []).append(role)
        return out

    async def list(self) -> list[User]:
        stmt = self._select(User).order_by(User.email)
        return list((await self._session.execute(stmt)).scalars())

    async def count(self) -> int:
        stmt = self._select(User, func.count())
        return int((await self._session.execute(stmt)).scalar_one())

    async def page(self, query: UserQuery) -> tuple[Sequence[User], bool, int | None]:
        """Users ordered by email (unique in a tenant), after ``query.after_email``."""
        stmt = self._select(User)
        if query.active is not None:
            stmt = stmt.where(User.is_active == query.active)
        if query.q:
            needle = like_pattern(query.q)
            stmt = stmt.where(
                or_(
                    func.lower(User.email).like(needle, escape="\\"),
                    func.lower(User.name).like(needle, escape="\\"),
                )
            )
        total = None
        if query.count:
            counted = select(func.count()).select_from(stmt.subquery())
            total = int((await self._session.execute(counted)).scalar_one())
        if query.after_email is not None:
            stmt = stmt.where(User.email > query.after_email)
        stmt = stmt.order_by(User.email).limit(query.limit + 1)
        rows = list((await self._session.execute(stmt)).scalars())
        return rows[: query.limit], len(rows) > query.limit, total

    async def last_sync(
        self, user_ids: Sequence[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, tuple[datetime, int]]:
        """Per user (every user, or these): when one of their devices last synced, and how many
        devices they have."""
        stmt = self._select(
            SyncClient, SyncClient.user_id, func.max(SyncClient.last_seen_at), func.count()
        ).group_by(SyncClient.user_id)
        if user_ids is not None:
            stmt = stmt.where(SyncClient.user_id.in_(list(user_ids)))
        rows = await self._session.execute(stmt)
        return {user_id: (seen, int(n)) for user_id, seen, n in rows}

    async def set_roles(self, user_id: uuid.UUID, roles: Sequence[str]) -> None:
        await self._session.execute(self._delete(UserRole).where(UserRole.user_id == user_id))
        for role in roles:
            self._add(UserRole(user_id=user_id, role=role))
        await self._flush()

    async def active_admins(self) -> Sequence[uuid.UUID]:
        stmt = (
            self._select(User, User.id)
            .join(UserRole, and_(UserRole.tenant_id == User.tenant_id, UserRole.user_id == User.id))
            .where(UserRole.role == ADMIN, User.is_active.is_(True))
        )
        return list((await self._session.execute(stmt)).scalars())

    async def save(self) -> None:
        await self._flush()

    async def set_password(self, user_id: uuid.UUID, password_hash: str) -> None:
        stmt = self._update(User).where(User.id == user_id)
        await self._session.execute(
            stmt.values(password_hash=password_hash, password_changed_at=utcnow())
        )


class TokensRepository(ScopedRepository):
    async def revoke(self, jti: str, expires_at: datetime) -> None:
        if not await self.is_revoked(jti):
            self._add(TokenRevocation(jti=jti, expires_at=expires_at))
            await self._flush()

    async def is_revoked(self, jti: str) -> bool:
        stmt = self._select(TokenRevocation, TokenRevocation.jti).where(TokenRevocation.jti == jti)
        return (await self._session.execute(stmt)).first() is not None


class PasswordResetsRepository(ScopedRepository):
    async def create(self, reset: PasswordReset) -> PasswordReset:
        self._add(reset)
        await self._flush()
        return reset

    async def get(self, reset_id: uuid.UUID) -> PasswordReset | None:
        stmt = self._select(PasswordReset).where(PasswordReset.id == reset_id).with_for_update()
        reset: PasswordReset | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return reset

    async def mark_used(self, reset: PasswordReset) -> None:
        reset.used_at = utcnow()
        await self._flush()


class PreferencesRepository(ScopedRepository):
    async def get(self) -> dict[str, Any]:
        stmt = self._select(UserPreference, UserPreference.prefs).where(
            UserPreference.user_id == self.ctx.actor_id
        )
        return dict((await self._session.execute(stmt)).scalar_one_or_none() or {})

    async def put(self, prefs: dict[str, Any]) -> None:
        stmt = self._select(UserPreference).where(UserPreference.user_id == self.ctx.actor_id)
        row = (await self._session.execute(stmt)).scalar_one_or_none()
        if row is None:
            self._add(UserPreference(user_id=self.ctx.actor_id, prefs=prefs))
        else:
            row.prefs = prefs
        await self._flush()
