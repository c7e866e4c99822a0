"""Tombstone retention: old change-log rows are dropped, the horizon advances, and a device whose
cursor is older than the horizon is told to reset (SYNC.md "Pull")."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from sync_server.db.models import ChangeAudience, ChangeLog, TenantClock
from sync_server.db.repositories import Repositories
from sync_server.http.keys import DB
from sync_server.services.compaction import compact_all, compact_tenant, main_compact
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.records import make
from tests.support.tenants import Actor, TenantHandle

API = "/api/v1"


def _app(client: TestClient[Any, Any]) -> web.Application:
    app: web.Application | None = client.app
    assert app is not None
    return app


async def pull(actor: Actor, device: str, cursor: str | None = None) -> dict[str, Any]:
    body = {"client_id": device, "schema_version": 1, "cursor": cursor}
    r = await actor.post(f"{API}/sync/pull", json=body)
    assert r.status == 200, await r.text()
    data: dict[str, Any] = await r.json()
    assert not data["has_more"]
    return data


async def age_changes(client: TestClient[Any, Any], tenant_id: uuid.UUID, upto: int) -> None:
    """Pretend the tenant's changes up to seq ``upto`` were made 40 days ago."""
    ctx = mint_for_platform(tenant_id)
    old = datetime.now(UTC) - timedelta(days=40)
    async with _app(client)[DB].session(ctx) as session:
        await session.execute(
            update(ChangeLog)
            .where(ChangeLog.tenant_id == tenant_id, ChangeLog.seq <= upto)
            .values(created_at=old)
        )


async def log_state(client: TestClient[Any, Any], tenant_id: uuid.UUID) -> dict[str, Any]:
    ctx = mint_for_platform(tenant_id)
    async with _app(client)[DB].session(ctx) as session:
        seqs = (
            await session.execute(select(ChangeLog.seq).where(ChangeLog.tenant_id == tenant_id))
        ).scalars()
        audience = (
            await session.execute(
                select(ChangeAudience.seq).where(ChangeAudience.tenant_id == tenant_id)
            )
        ).scalars()
        clock = (
            await session.execute(select(TenantClock).where(TenantClock.tenant_id == tenant_id))
        ).scalar_one()
        return {
            "log": sorted(seqs),
            "audience": sorted(set(audience)),
            "horizon": clock.horizon_seq,
            "seq": clock.seq,
        }


async def compact(client: TestClient[Any, Any], tenant_id: uuid.UUID, days: int) -> int:
    ctx = mint_for_platform(tenant_id)
    async with _app(client)[DB].session(ctx) as session:
        return await compact_tenant(Repositories(ctx, session), days)


async def test_compaction_drops_old_rows_and_resets_old_cursors(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    a = tenant.users[0]
    device = str(uuid.uuid4())
    first = await pull(a, device)  # an old device cursor
    old_lead = await make(a, "lead")
    second = await pull(a, device)  # a cursor inside the retention after compaction
    cut = second["server_seq"]
    await age_changes(client, tenant.tenant_id, cut)
    new_lead = await make(a, "lead")

    before = await log_state(client, tenant.tenant_id)
    assert before["horizon"] == 0 and min(before["log"]) <= cut < max(before["log"])

    horizon = await compact(client, tenant.tenant_id, 30)
    assert horizon == max(s for s in before["log"] if s <= cut)
    after = await log_state(client, tenant.tenant_id)
    assert after["horizon"] == horizon
    assert after["log"] == [s for s in before["log"] if s > horizon] and after["log"]
    assert all(s > horizon for s in after["audience"])
    assert after["seq"] == before["seq"]  # compaction is not a change

    # Idempotent: nothing more is old enough.
    assert await compact(client, tenant.tenant_id, 30) == horizon

    # A cursor older than the horizon: reset and a full snapshot (with both leads).
    stale = await pull(a, device, first["cursor"])
    assert stale["reset"] is True
    ids = {c["id"] for c in stale["changes"] if c["entity"] == "lead"}
    assert {old_lead["id"], new_lead["id"]} <= ids
    # A cursor at the horizon or later carries on.
    fresh = await pull(a, device, second["cursor"])
    assert fresh["reset"] is False
    assert [c["id"] for c in fresh["changes"] if c["entity"] == "lead"] == [new_lead["id"]]


async def test_recent_rows_are_kept(client: TestClient[Any, Any], tenant: TenantHandle) -> None:
    await make(tenant.users[0], "lead")
    before = await log_state(client, tenant.tenant_id)
    assert await compact(client, tenant.tenant_id, 30) == 0
    assert await log_state(client, tenant.tenant_id) == before
    with pytest.raises(ValueError, match="at least 1"):
        await compact(client, tenant.tenant_id, 0)


async def test_compact_all_finds_every_tenant(
    client: TestClient[Any, Any],
    settings: Settings,
    tenant: TenantHandle,
    other_tenant: TenantHandle,
) -> None:
    """Tenants are listed on the migration (owner) URL, the only one RLS lets list them; each
    is compacted in its own tenant transaction, the others left alone."""
    await make(tenant.users[0], "lead")
    await make(other_tenant.users[0], "lead")
    cut = (await log_state(client, tenant.tenant_id))["seq"]
    await age_changes(client, tenant.tenant_id, cut)
    await make(tenant.users[0], "lead")
    other_before = await log_state(client, other_tenant.tenant_id)

    horizons = await compact_all(_app(client)[DB], settings, mint_for_platform)
    assert {tenant.tenant_id, other_tenant.tenant_id} <= set(horizons)
    assert horizons[tenant.tenant_id] == cut
    assert horizons[other_tenant.tenant_id] == 0
    assert (await log_state(client, tenant.tenant_id))["horizon"] == cut
    assert await log_state(client, other_tenant.tenant_id) == other_before

    # Only the given tenants, when named.
    only = await compact_all(
        _app(client)[DB], settings, mint_for_platform, [other_tenant.tenant_id]
    )
    assert only == {other_tenant.tenant_id: 0}


async def test_main_compact_for_the_cli(
    client: TestClient[Any, Any],
    settings: Settings,
    tenant: TenantHandle,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await make(tenant.users[0], "lead")
    cut = (await log_state(client, tenant.tenant_id))["seq"]
    await age_changes(client, tenant.tenant_id, cut)
    assert settings.sync_retention_days == 30
    code = await asyncio.to_thread(main_compact, settings, mint_for_platform)
    assert code == 0
    out = capsys.readouterr().out
    assert f"tenant {tenant.tenant_id}: horizon seq {cut}" in out
    assert "retention 30 day(s)" in out
    assert (await log_state(client, tenant.tenant_id))["horizon"] == cut


async def test_purges_survive_compaction_so_late_edits_become_conflicts(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """An edit made offline to a record purged before the horizon is still an ``update_purged``
    conflict, not a rejection: compaction keeps purge rows."""
    a = tenant.users[0]
    device = str(uuid.uuid4())
    lead = await make(a, "lead")
    seen = await pull(a, device)
    assert (await a.delete(f"{API}/leads/{lead['id']}")).status == 200
    admin = tenant.admin
    assert (await admin.delete(f"{API}/trash/lead/{lead['id']}")).status == 204
    state = await log_state(client, tenant.tenant_id)
    await age_changes(client, tenant.tenant_id, state["seq"])
    await make(a, "lead")  # something newer than the horizon
    horizon = await compact(client, tenant.tenant_id, 30)
    assert horizon == state["seq"]
    push = {
        "client_id": device, "schema_version": 1,
        "mutations": [{"mid": 1, "entity": "lead", "id": lead["id"], "op": "update",
                       "base_seq": seen["server_seq"], "fields": {"phone": "555-0199"}}],
    }
    r = await a.post(f"{API}/sync/push", json=push)
    result = (await r.json())["results"][0]
    assert result["status"] == "conflict", result
    assert result["conflict_id"]
