from tests.support.tenants import PASSWORD, TenantHandle


async def test_login_and_me(tenant: TenantHandle) -> None:
    c = tenant.admin.client
    r = await c.post(
        "/api/v1/auth/login", json={"email": tenant.admin.email.upper(), "password": PASSWORD}
    )
    assert r.status == 200, await r.text()
    body = await r.json()
    assert body["token_type"] == "Bearer"
    me = await c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status == 200
    assert (await me.json())["roles"] == ["admin", "user"]
