from tests.support.tenants import TenantHandle


async def test_lead_crud_roundtrip(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    r = await u.post("/api/v1/leads", json={"name": "Acme", "phone": "555-0100"})
    assert r.status == 201, await r.text()
    lead = await r.json()
    assert lead["lead_status"] == "new" and lead["version"] > 0
    r = await u.patch(
        f"/api/v1/leads/{lead['id']}",
        json={"lead_status": "qualified"},
        headers={"If-Match": f'"{lead["version"]}"'},
    )
    assert r.status == 200, await r.text()
    r = await u.get("/api/v1/leads?count=true&sort=name")
    body = await r.json()
    assert body["total"] == 1 and body["items"][0]["lead_status"] == "qualified"
    other = tenant.users[1]
    assert (await other.get(f"/api/v1/leads/{lead['id']}")).status == 404
    r = await u.post(f"/api/v1/leads/{lead['id']}/convert", json={})
    assert r.status == 201, await r.text()
    client = await r.json()
    assert client["source_lead_id"] == lead["id"]
    r = await u.post(f"/api/v1/leads/{lead['id']}/convert", json={})
    assert r.status == 409
