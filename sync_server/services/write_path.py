"""The one write path. Every change to a CRM record — REST, sync push, import, bulk action,
conflict resolution — goes through ``RecordWriter``: validate, check visibility and
reassignment rights, decide conflicts (pure ``conflict`` package), advance the tenant seq, stamp
field dots, append the change log with its audience, and log the activity.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from conflict import CausalContext, Decision, Dot, Outcome, decide_update, merge_dots
from conflict.lifecycle import decide_delete, decide_restore
from sync_server.db.models import ActivityLog, ChangeLog, RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.visibility import visibility_parent
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found, validation_error
from sync_server.services.conflicts import record_conflicts
from sync_server.services.validation import check_references, validated_changes, validated_create

# REST writes come from someone looking at the current record: they have seen every write.
ONLINE = 2**62


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a write comes from: a device mutation (client_id, mid, base_seq) or REST."""

    client_id: uuid.UUID | None = None
    mid: int | None = None
    base_seq: int | None = None
    client_time: datetime | None = None

    @property
    def context(self) -> CausalContext:
        client = str(self.client_id) if self.client_id else None
        return CausalContext(self.base_seq if self.base_seq is not None else ONLINE, client)


REST = Origin()


@dataclass(frozen=True, slots=True)
class WriteResult:
    row: RecordBase | None
    outcome: Outcome
    seq: int | None
    conflict_id: uuid.UUID | None = None


def now() -> datetime:
    return datetime.now(UTC)


def dots_of(row: RecordBase) -> dict[str, Dot]:
    return {f: Dot.from_json(d) for f, d in (row.field_dots or {}).items()}


def values_of(spec: EntitySpec, row: RecordBase) -> dict[str, Any]:
    return {f: getattr(row, f) for f in spec.fields}


def current_state(spec: EntitySpec, row: RecordBase) -> dict[str, Any]:
    """What conflict decisions compare against: the fields plus the Trash marker."""
    return values_of(spec, row) | {"deleted_at": row.deleted_at}


class RecordWriter:
    def __init__(self, repos: Repositories, *, whole_tenant: bool = False) -> None:
        """``whole_tenant`` is for admin endpoints (overviews, bulk actions, conflict
        resolution), which act on every record of the tenant; it requires the admin role."""
        if whole_tenant and not repos.ctx.is_admin:
            raise ApiError(ErrorCode.FORBIDDEN, "This needs the admin role")
        self.repos = repos
        self.ctx = repos.ctx
        self.visible_to = None if whole_tenant else repos.ctx.actor_id

    async def load(
        self, spec: EntitySpec, record_id: uuid.UUID, *, lock: bool = True
    ) -> RecordBase:
        """A record the actor may see (admins included: the normal rules), else 404."""
        if lock:
            await self.repos.clock.lock()
        row = await self.repos.records.get(
            spec, record_id, visible_to=self.visible_to, for_update=lock
        )
        if row is None:
            raise not_found(spec.name)
        return row

    async def create(
        self,
        spec: EntitySpec,
        data: dict[str, Any],
        origin: Origin = REST,
        record_id: uuid.UUID | None = None,
    ) -> WriteResult:
        values = validated_create(spec, data)
        await self.repos.clock.lock()
        await check_references(self.repos, spec, values, values, self.visible_to)
        record_id = record_id or uuid.uuid4()
        if await self.repos.records.exists(spec, record_id):
            raise ApiError(ErrorCode.CONFLICT, f"{spec.name} {record_id} already exists")
        stamp = now()
        model: Any = spec.model
        row: RecordBase = model(
            id=record_id, created_by=self.ctx.actor_id, created_at=stamp, **values
        )
        row.field_dots = {}
        try:
            await self.repos.records.insert(row)
        except IntegrityError as exc:  # e.g. an account_number already used in the tenant
            raise integrity_error() from exc
        seq = await self._commit(spec, row, list(values), "create", origin, frozenset())
        return WriteResult(row, Outcome.APPLIED, seq)

    async def update(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        data: dict[str, Any],
        origin: Origin = REST,
        if_match: int | None = None,
    ) -> WriteResult:
        row = await self.load(spec, record_id)
        check_version(spec, row, if_match)
        changes = validated_changes(spec, data)
        decision = decide_update(
            spec.name, current_state(spec, row), dots_of(row), changes, origin.context
        )
        merged = {**values_of(spec, row), **decision.apply}
        validated_create(spec, merged)  # cross-field rules hold on the result
        await check_references(self.repos, spec, decision.apply, merged, self.visible_to)
        self.check_reassignment(spec, row, decision.apply)
        check_not_unconverted(spec, row, decision.apply)
        return await self.apply(spec, row, decision, "update", origin)

    async def apply(
        self, spec: EntitySpec, row: RecordBase, decision: Decision, action: str, origin: Origin
    ) -> WriteResult:
        """Write a decided change: fields, seq, dots, change log, conflicts."""
        prev_audience = await self.repos.audience.of(spec, row)
        for name, value in decision.apply.items():
            setattr(row, name, value)
        seq = None
        if decision.apply:
            seq = await self._commit(spec, row, list(decision.apply), action, origin, prev_audience)
        conflict_id = await record_conflicts(
            self.repos, spec, row.id, decision, origin, seq or row.version
        )
        return WriteResult(row, decision.outcome, seq, conflict_id)

    async def trash(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        origin: Origin = REST,
        if_match: int | None = None,
    ) -> WriteResult:
        row = await self.load(spec, record_id)
        check_version(spec, row, if_match)
        decision = decide_delete(
            spec.name,
            current_state(spec, row),
            dots_of(row),
            origin.context,
            deleted_at=now(),
        )
        return await self.apply(spec, row, decision, "delete", origin)

    async def restore(
        self, spec: EntitySpec, record_id: uuid.UUID, origin: Origin = REST
    ) -> WriteResult:
        row = await self.load(spec, record_id)
        decision = decide_restore(
            spec.name,
            current_state(spec, row),
            dots_of(row),
            origin.context,
        )
        return await self.apply(spec, row, decision, "restore", origin)

    def check_reassignment(
        self, spec: EntitySpec, row: RecordBase, changes: Mapping[str, Any]
    ) -> None:
        """Only admins and the current owner may hand a record to someone else."""
        if "assigned_to" not in changes or self.ctx.is_admin:
            return
        owner = getattr(row, "assigned_to", None) or row.created_by
        if owner != self.ctx.actor_id:
            raise ApiError(
                ErrorCode.FORBIDDEN, f"Only an admin or the {spec.name}'s owner may reassign it"
            )

    async def _commit(
        self,
        spec: EntitySpec,
        row: RecordBase,
        fields: list[str],
        action: str,
        origin: Origin,
        prev_audience: frozenset[uuid.UUID],
    ) -> int:
        seq = await self.repos.clock.advance()
        dot = Dot(seq, str(origin.client_id) if origin.client_id else None, origin.mid)
        row.field_dots = {f: d.to_json() for f, d in merge_dots(dots_of(row), fields, dot).items()}
        row.version = seq
        row.updated_at = now()
        try:
            await self.repos.records.flush()
        except IntegrityError as exc:
            raise integrity_error() from exc
        audience = await self.repos.audience.of(spec, row)
        await self._log(spec, row.id, seq, "put", action, fields, origin, audience, prev_audience)
        # A new record has no dependents yet: nothing to propagate.
        if audience != prev_audience and action != "create":
            await self._propagate(spec, row.id, origin, prev_audience)
        return seq

    async def _log(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        seq: int,
        op: str,
        action: str,
        fields: list[str],
        origin: Origin,
        audience: frozenset[uuid.UUID],
        prev_audience: frozenset[uuid.UUID],
    ) -> None:
        change = ChangeLog(
            seq=seq,
            entity=spec.name,
            record_id=record_id,
            op=op,
            action=action,
            user_id=self.ctx.user_id,
            client_id=origin.client_id,
            mid=origin.mid,
            fields=sorted(fields),
        )
        await self.repos.records.record_change(change, audience, prev_audience - audience)
        await self.repos.records.log_activity(
            ActivityLog(
                id=uuid.uuid4(),
                user_id=self.ctx.user_id,
                entity=spec.name,
                record_id=record_id,
                action=action,
                fields={"changed": sorted(fields)},
                seq=seq,
            )
        )

    async def _propagate(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        origin: Origin,
        former: frozenset[uuid.UUID],
    ) -> None:
        """A record's audience moved: every record inheriting its visibility moves with it, so
        each gets a change (a put for its new audience, an eviction for whoever lost it). A child
        that inherits from this record had exactly this record's former audience."""
        for child_spec, column in dependents(spec.name):
            only = child_spec.model.entity == spec.name if child_spec.name == "note" else None  # type: ignore[attr-defined]
            for child in await self.repos.records.children(
                child_spec, column, [record_id], extra=only
            ):
                if not inherits_from(child_spec, child, spec.name, record_id):
                    continue
                seq = await self.repos.clock.advance()
                child.version = seq
                audience = await self.repos.audience.of(child_spec, child)
                change = ChangeLog(
                    seq=seq,
                    entity=child_spec.name,
                    record_id=child.id,
                    op="put",
                    action="visibility",
                    user_id=self.ctx.user_id,
                    client_id=origin.client_id,
                    mid=origin.mid,
                    fields=[],
                )
                await self.repos.records.record_change(change, audience, former - audience)
                await self._propagate(child_spec, child.id, origin, former)

    async def log_purge(self, spec: EntitySpec, row: RecordBase, origin: Origin = REST) -> int:
        seq = await self.repos.clock.advance()
        former = await self.repos.audience.of(spec, row)
        await self._log(spec, row.id, seq, "delete", "purge", [], origin, frozenset(), former)
        return seq


def integrity_error() -> ApiError:
    """A uniqueness or reference rule of the database refused the write: the caller's input,
    not a server fault (409, never a 500 with the constraint's SQL)."""
    return ApiError(ErrorCode.CONFLICT, "The change breaks a uniqueness or reference rule")


def check_not_unconverted(spec: EntitySpec, row: RecordBase, changes: Mapping[str, Any]) -> None:
    """A converted lead stays converted: its client exists and points back at it."""
    if spec.name == "lead" and getattr(row, "lead_status", None) == "converted" and (
        changes.get("lead_status", "converted") != "converted"
    ):
        raise validation_error({"lead_status": ["a converted lead cannot change status"]})


def check_version(spec: EntitySpec, row: RecordBase, if_match: int | None) -> None:
    if if_match is not None and if_match != row.version:
        current = spec.read.model_validate(row).model_dump(mode="json")
        raise ApiError(
            ErrorCode.MODIFIED,
            f"The {spec.name} was changed by someone else",
            {"current": current},
        )


def dependents(entity: str) -> list[tuple[EntitySpec, str]]:
    out = [
        (s, p.field)
        for s in ENTITIES.values()
        for p in s.parents
        if p.entity == entity and p.governs_visibility
    ]
    if entity in ("lead", "client", "project"):
        out.append((ENTITIES["note"], "entity_id"))
    return out


def inherits_from(spec: EntitySpec, row: RecordBase, entity: str, record_id: uuid.UUID) -> bool:
    return visibility_parent(spec, row) == (entity, record_id)
