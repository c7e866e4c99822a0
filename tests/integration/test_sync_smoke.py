import uuid

from tests.support.tenants import TenantHandle


async def test_push_then_pull(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    device = str(uuid.uuid4())
    lead_id = str(uuid.uuid4())
    r = await u.post("/api/v1/sync/pull", json={"client_id": device, "schema_version": 1})
    assert r.status == 200, await r.text()
    first = await r.json()
    assert not first["has_more"]
    push = {
        "client_id": device,
        "schema_version": 1,
        "mutations": [
            {
                "mid": 1,
                "entity": "lead",
                "id": lead_id,
                "op": "create",
                "base_seq": first["server_seq"],
                "fields": {"name": "Offline lead"},
            },
            {"mid": 2, "entity": "nope", "id": lead_id, "op": "create", "base_seq": 0},
            {
                "mid": 3,
                "entity": "lead",
                "id": lead_id,
                "op": "update",
                "base_seq": first["server_seq"],
                "fields": {"phone": "555-0100"},
            },
        ],
    }
    r = await u.post("/api/v1/sync/push", json=push)
    assert r.status == 200, await r.text()
    body = await r.json()
    assert [x["status"] for x in body["results"]] == ["applied", "rejected", "applied"]
    r = await u.post("/api/v1/sync/push", json=push)
    assert [x["status"] for x in (await r.json())["results"]] == ["duplicate"] * 3
    r = await u.post(
        "/api/v1/sync/pull",
        json={"client_id": device, "schema_version": 1, "cursor": first["cursor"]},
    )
    body = await r.json()
    assert body["last_mutation_id"] == 3
    puts = [c for c in body["changes"] if c["entity"] == "lead"]
    assert len(puts) == 1 and puts[0]["record"]["phone"] == "555-0100"
    other = tenant.users[1]
    r = await other.post(
        "/api/v1/sync/pull", json={"client_id": str(uuid.uuid4()), "schema_version": 1}
    )
    assert all(c["entity"] != "lead" for c in (await r.json())["changes"])
