"""SYNC.md guarantee 6: devices whose clocks are days off lose nothing and decide nothing by
their clock.

The same scripted history runs twice, in two tenants: once with correct device clocks, once
with one device two days ahead and the other two days behind. Every push result, every conflict
and the final state of every record must come out the same (ids and timestamps aside), and the
skewed ``client_time`` is kept, as metadata only, on the conflicts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.db.models import Conflict
from tests.property import oracle
from tests.property.world import Device, device_for, settle
from tests.support.records import db_rows, make
from tests.support.tenants import TenantHandle

DAYS = timedelta(days=2)
TIMESTAMPS = ("created_at", "updated_at", "converted_on", "client_time", "resolved_at")


def _clock(skew: timedelta) -> Any:
    return lambda: datetime.now(UTC) + skew


async def _history(tenant: TenantHandle, skew_a: timedelta, skew_b: timedelta) -> dict[str, Any]:
    """The script: concurrent LWW and MANUAL edits, delete vs update, convert vs update, in a
    fixed arrival order where the later arrival has the *earlier* clock when skewed."""
    u0, u1 = tenant.users
    shared = {"assigned_to": str(u1.user_id)}
    leads = [await make(u0, "lead", name=f"L{i}", phone="555-0100", **shared) for i in range(3)]
    a: Device = device_for(u0, clock=_clock(skew_a))
    b: Device = device_for(u1, clock=_clock(skew_b))
    for dev in (a, b):
        await dev.client.pull()
    l0, l1, l2 = (x["id"] for x in leads)
    b.client.update("lead", l0, {"phone": "555-0111", "lead_status": "lost"})
    a.client.update("lead", l0, {"phone": "555-0122", "lead_status": "qualified"})
    b.client.update("lead", l1, {"notes": "b was here"})
    a.client.delete("lead", l1)
    b.client.update("lead", l2, {"city": "Shelbyville"})
    a.client.convert(l2)
    trace: dict[str, Any] = {"results": []}
    for dev in (b, a, b):
        trace["results"].append([r.status for r in await dev.client.push()])
        await dev.client.pull()
    await settle([a, b])
    records = await oracle.tenant_records(a.actor.client, tenant.tenant_id)
    trace["records"] = [records["lead"][i] for i in (l0, l1, l2)]
    trace["clients"] = sorted(records["client"].values(), key=lambda r: r["name"])
    trace["views"] = [a.client.view(), b.client.view()]
    trace["ids"] = {l0: "L0", l1: "L1", l2: "L2", str(u0.user_id): "u0", str(u1.user_id): "u1",
                    str(a.client.client_id): "A", str(b.client.client_id): "B"}  # fmt: skip
    return trace


def _normal(value: Any, ids: dict[str, str]) -> Any:
    """Ids become labels; timestamps become 'set'/None (they differ between the two runs)."""
    if isinstance(value, dict):
        return {
            ids.get(k, k): ("set" if v is not None else None)
            if k in TIMESTAMPS or k == "deleted_at"
            else _normal(v, ids)
            for k, v in value.items()
            if k not in ("id",)
        }
    if isinstance(value, list):
        return [_normal(v, ids) for v in value]
    if isinstance(value, str):
        try:
            return ids.get(value, "<generated id>" if uuid.UUID(value) else value)
        except ValueError:
            return value
    return value


async def _conflicts(client: TestClient[Any, Any], tenant: TenantHandle) -> list[Conflict]:
    rows: list[Conflict] = await db_rows(client, tenant.tenant_id, Conflict)
    return sorted(rows, key=lambda c: (c.seq, c.kind, c.status))


def _conflict_shape(c: Conflict, ids: dict[str, str]) -> Any:
    fields = {
        name: {k: v for k, v in entry.items() if k != "server_dot"}
        for name, entry in c.fields.items()
    }
    dots = [entry["server_dot"] for entry in c.fields.values() if entry.get("server_dot")]
    return _normal(
        {
            "kind": c.kind,
            "status": c.status,
            "record": str(c.record_id),
            "fields": fields,
            "device": str(c.client_id),
            "mid": c.mid,
            "dots": dots,
        },
        ids,
    )


async def test_skewed_clocks_change_nothing(
    client: TestClient[Any, Any], tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    right = await _history(tenant, timedelta(0), timedelta(0))
    skewed = await _history(other_tenant, -DAYS, +DAYS)
    assert right["results"] == skewed["results"]
    assert right["results"] == [["applied"] * 3, ["conflict"] * 3, []]
    for key in ("records", "clients", "views"):
        assert _normal(right[key], right["ids"]) == _normal(skewed[key], skewed["ids"]), key

    plain = await _conflicts(client, tenant)
    off = await _conflicts(client, other_tenant)
    assert [_conflict_shape(c, right["ids"]) for c in plain] == [
        _conflict_shape(c, skewed["ids"]) for c in off
    ]
    assert {c.kind for c in plain} >= {"field", "delete_update", "convert"}
    # The device's clock is kept for people ("edited offline 2 days ago"), and nothing else.
    now = datetime.now(UTC)
    for c in off:
        assert c.client_time is not None
        offset = c.client_time - now
        expected = -DAYS if str(c.client_id) in _device_of(skewed, "A") else DAYS
        assert abs(offset - expected) < timedelta(minutes=5), (c.kind, offset)
    # Later arrival wins for the LWW phone, though the later device's clock was 4 days behind.
    l0 = skewed["records"][0]
    assert l0["phone"] == "555-0122" and l0["lead_status"] == "lost"


def _device_of(trace: dict[str, Any], label: str) -> set[str]:
    return {k for k, v in trace["ids"].items() if v == label}
