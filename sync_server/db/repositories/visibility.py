"""Who may see which record: the one module of visibility rules (API.md).

Two faces of the same rules, kept side by side so they cannot drift (a property test checks they
agree): ``visible_clause`` is SQL for lists, detail, search, reports and sync snapshots;
``Audience`` computes, for one record, the set of users who may see it, which the write path
stores with each change so that sync pulls and evictions never scan records a user can't see.

- lead, client: its creator and its assignee (admins too: the same rule on normal endpoints).
- project: if ``assigned_to`` is set, that user and the creator; otherwise the visibility of its
  client (or, without one, its lead); otherwise its creator.
- account, subscription, contact, interaction: the visibility of the parent client or lead.
- note: the visibility of the lead, client or project it is attached to.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from sync_server.db.models import RecordBase
from sync_server.entities import ENTITIES, EntitySpec, Rule
from sync_server.tenancy import TenantContext

# A user id, or the bind parameter standing for one in a statement template.
UserRef = uuid.UUID | ColumnElement[uuid.UUID]


def _owned(t: Any, uid: UserRef) -> ColumnElement[bool]:
    return or_(t.created_by == uid, t.assigned_to == uid)


def visible_branches(spec: EntitySpec, t: Any, uid: UserRef) -> tuple[ColumnElement[bool], ...]:
    """``visible_clause`` as conditions whose union it is (they may overlap). An ``OR`` of two
    columns can use no ordered index, so lists of owned records read each branch (assignee,
    creator) over its own index in list order and merge the two short results."""
    if spec.rule is Rule.OWNED:
        return (t.assigned_to == uid, t.created_by == uid)
    return (visible_clause(spec, t, uid),)


def _parent_visible(t: Any, column: Any, entity: str, uid: UserRef) -> ColumnElement[bool]:
    spec = ENTITIES[entity]
    parent = aliased(spec.model)
    return exists(
        select(parent.id).where(
            parent.tenant_id == t.tenant_id,
            parent.id == column,
            visible_clause(spec, parent, uid),
        )
    )


def visible_clause(spec: EntitySpec, t: Any, uid: UserRef) -> ColumnElement[bool]:
    """SQL condition: the row ``t`` (the spec's model or an alias of it) is visible to ``uid``."""
    if spec.rule is Rule.OWNED:
        return _owned(t, uid)
    if spec.rule is Rule.PROJECT:
        unassigned = t.assigned_to.is_(None)
        return or_(
            and_(t.assigned_to.is_not(None), _owned(t, uid)),
            and_(
                unassigned, t.client_id.is_not(None), _parent_visible(t, t.client_id, "client", uid)
            ),
            and_(
                unassigned,
                t.client_id.is_(None),
                t.lead_id.is_not(None),
                _parent_visible(t, t.lead_id, "lead", uid),
            ),
            and_(unassigned, t.client_id.is_(None), t.lead_id.is_(None), t.created_by == uid),
        )
    if spec.rule is Rule.CHILD:
        conds = [
            and_(
                getattr(t, p.field).is_not(None),
                _parent_visible(t, getattr(t, p.field), p.entity, uid),
            )
            for p in spec.parents
            if p.governs_visibility
        ]
        return or_(false(), *conds)
    return or_(
        *(
            and_(t.entity == entity, _parent_visible(t, t.entity_id, entity, uid))
            for entity in ("lead", "client", "project")
        )
    )


def visibility_parent(spec: EntitySpec, row: RecordBase) -> tuple[str, uuid.UUID] | None:
    """The record whose visibility ``row`` inherits, if any (None: decided by the row itself)."""
    if spec.rule is Rule.OWNED:
        return None
    if spec.rule is Rule.PROJECT:
        if getattr(row, "assigned_to", None) is not None:
            return None
        for field, entity in (("client_id", "client"), ("lead_id", "lead")):
            if (value := getattr(row, field)) is not None:
                return entity, value
        return None
    if spec.rule is Rule.CHILD:
        for p in spec.parents:
            if p.governs_visibility and (value := getattr(row, p.field)) is not None:
                return p.entity, value
        return None
    return str(getattr(row, "entity")), getattr(row, "entity_id")  # noqa: B009


class Audience:
    """Computes the users who may see a record, walking up its visibility parents."""

    def __init__(self, ctx: TenantContext, session: AsyncSession) -> None:
        self._ctx = ctx
        self._session = session

    async def of(self, spec: EntitySpec, row: RecordBase | None) -> frozenset[uuid.UUID]:
        if row is None:
            return frozenset()
        parent = visibility_parent(spec, row)
        if parent is None:
            owners = {row.created_by, getattr(row, "assigned_to", None)}
            return frozenset(u for u in owners if u is not None)
        parent_spec = ENTITIES[parent[0]]
        return await self.of(parent_spec, await self._load(parent_spec, parent[1]))

    async def _load(self, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase | None:
        m = spec.model
        stmt = select(m).where(m.tenant_id == self._ctx.tenant_id, m.id == record_id)
        row: RecordBase | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return row
