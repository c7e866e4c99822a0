"""Repositories: the only code that runs queries. ``Repositories`` bundles them for one unit of
work (one tenant context, one session)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from sync_server.db.repositories.conflicts import ConflictsRepository
from sync_server.db.repositories.platform import (
    ClockRepository,
    PasswordResetsRepository,
    PreferencesRepository,
    TenantsRepository,
    TokensRepository,
    UsersRepository,
    lookup_login,
)
from sync_server.db.repositories.records import RecordsRepository
from sync_server.db.repositories.reports import ReportsRepository
from sync_server.db.repositories.search import SearchRepository
from sync_server.db.repositories.sync import SyncRepository
from sync_server.db.repositories.visibility import Audience
from sync_server.tenancy import TenantContext


class Repositories:
    def __init__(self, ctx: TenantContext, session: AsyncSession) -> None:
        self.ctx = ctx
        self._session = session
        # Run by the unit of work's owner once the transaction has committed (e.g. sync pokes).
        self.after_commit: list[Callable[[], Awaitable[None]]] = []
        self.poke_scheduled = False  # a handler's own poke replaces the unit of work's

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: one item of a batch fails alone, the rest go on."""
        async with self._session.begin_nested():
            yield

    @cached_property
    def tenants(self) -> TenantsRepository:
        return TenantsRepository(self.ctx, self._session)

    @cached_property
    def clock(self) -> ClockRepository:
        return ClockRepository(self.ctx, self._session)

    @cached_property
    def users(self) -> UsersRepository:
        return UsersRepository(self.ctx, self._session)

    @cached_property
    def tokens(self) -> TokensRepository:
        return TokensRepository(self.ctx, self._session)

    @cached_property
    def resets(self) -> PasswordResetsRepository:
        return PasswordResetsRepository(self.ctx, self._session)

    @cached_property
    def records(self) -> RecordsRepository:
        return RecordsRepository(self.ctx, self._session)

    @cached_property
    def reports(self) -> ReportsRepository:
        return ReportsRepository(self.ctx, self._session)

    @cached_property
    def search(self) -> SearchRepository:
        return SearchRepository(self.ctx, self._session)

    @cached_property
    def sync(self) -> SyncRepository:
        return SyncRepository(self.ctx, self._session)

    @cached_property
    def conflicts(self) -> ConflictsRepository:
        return ConflictsRepository(self.ctx, self._session)

    @cached_property
    def audience(self) -> Audience:
        return Audience(self.ctx, self._session)

    @cached_property
    def preferences(self) -> PreferencesRepository:
        return PreferencesRepository(self.ctx, self._session)


__all__ = ["Repositories", "lookup_login"]
