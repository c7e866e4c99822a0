"""The base of every repository: built with a TenantContext, every query filtered by it.

Only code in this package runs queries (a build test enforces it). Scope is a constructor
argument, never an optional filter: ``_select`` and ``_add`` are the only ways subclasses touch a
tenant table.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Delete, Update

from sync_server.db.models import TenantScoped
from sync_server.tenancy import TenantContext

M = TypeVar("M", bound=TenantScoped)


class ScopedRepository:
    def __init__(self, ctx: TenantContext, session: AsyncSession) -> None:
        self.ctx = ctx
        self._session = session

    def _select(self, model: type[M], *columns: Any) -> Select[Any]:
        stmt = select(*columns) if columns else select(model)
        return stmt.where(model.tenant_id == self.ctx.tenant_id)

    def _update(self, model: type[M]) -> Update:
        return update(model).where(model.tenant_id == self.ctx.tenant_id)

    def _delete(self, model: type[M]) -> Delete:
        return delete(model).where(model.tenant_id == self.ctx.tenant_id)

    def _add(self, obj: M) -> M:
        obj.tenant_id = self.ctx.tenant_id
        self._session.add(obj)
        return obj

    async def _flush(self) -> None:
        await self._session.flush()
