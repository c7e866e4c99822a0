"""Login, access tokens, logout and live role checks (API.md, Auth)."""

from __future__ import annotations

import base64
import json
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from joserfc import jwt
from joserfc.jwk import OctKey
from sqlalchemy import delete, insert, update

from sync_server import app as app_module
from sync_server.app import create_app
from sync_server.db.models import User, UserRole
from sync_server.http.keys import DB
from sync_server.http.parsing import json_response
from sync_server.http.routing import Access, RouteTable
from sync_server.services.tenants import NewUser, create_tenant
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import PASSWORD, Actor, TenantHandle, unique_email

LOGIN, ME, LOGOUT = "/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/auth/logout"
ADMIN_PROBE, UPLOAD_PROBE = "/api/v1/test-only/admin", "/api/v1/test-only/uploads"
THIRTY_DAYS = 30 * 24 * 3600

probe_routes = RouteTable()


@probe_routes.route("GET", ADMIN_PROBE, access=Access.ADMIN, summary="test only")
async def admin_probe(_request: web.Request) -> web.Response:
    return json_response({"ok": True})


@probe_routes.route(
    "GET", UPLOAD_PROBE, access=Access.USER, roles=frozenset({"file_uploads"}), summary="test"
)
async def upload_probe(_request: web.Request) -> web.Response:
    return json_response({"ok": True})


@pytest.fixture
async def app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> web.Application:
    """The real application plus two test-only routes declared ADMIN and USER+file_uploads."""
    original = app_module.route_table

    def with_probes() -> RouteTable:
        table = original()
        table.extend(probe_routes)
        return table

    monkeypatch.setattr(app_module, "route_table", with_probes)
    return create_app(settings)


async def login(client: TestClient[Any, Any], email: str, password: str) -> Any:
    return await client.post(LOGIN, json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    body: dict[str, Any] = await response.json()
    assert response.status == status, body
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == code
    return body


async def run_sql(actor: Actor, statement: Any) -> None:
    """A direct write in the actor's tenant (platform-minted context, one transaction)."""
    app = actor.client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(actor.tenant_id)) as session:
        await session.execute(statement)


# --- login ---------------------------------------------------------------------------------------


async def test_login_returns_token_and_user(tenant: TenantHandle, settings: Settings) -> None:
    admin = tenant.admin
    r = await login(admin.client, admin.email, PASSWORD)
    assert r.status == 200
    body = await r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == THIRTY_DAYS
    assert body["user"]["id"] == str(admin.user_id)
    assert body["user"]["tenant_id"] == str(tenant.tenant_id)
    assert body["user"]["roles"] == ["admin", "user"]
    assert r.headers["Cache-Control"] == "no-store"

    key = OctKey.import_key(settings.jwt_secret.encode())
    token = jwt.decode(body["access_token"], key, algorithms=["HS256"])
    claims = token.claims
    assert token.header["alg"] == "HS256"
    assert {"sub", "tid", "roles", "jti", "iat", "nbf", "exp", "aud"} <= set(claims)
    assert claims["sub"] == str(admin.user_id)
    assert claims["tid"] == str(tenant.tenant_id)
    assert claims["roles"] == ["admin", "user"]
    assert claims["aud"] == settings.jwt_audience
    assert claims["exp"] - claims["iat"] == THIRTY_DAYS
    assert claims["nbf"] <= time.time() + 1
    second = await (await login(admin.client, admin.email, PASSWORD)).json()
    assert jwt.decode(second["access_token"], key).claims["jti"] != claims["jti"]


async def test_email_is_case_insensitive(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    for variant in (user.email.upper(), user.email.title(), f"  {user.email}  "):
        r = await login(user.client, variant, PASSWORD)
        assert r.status == 200, variant
        assert (await r.json())["user"]["id"] == str(user.user_id)


async def test_wrong_password_and_unknown_email_look_alike(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    wrong = await assert_error(
        await login(user.client, user.email, "not the password"), 401, "invalid_credentials"
    )
    unknown = await assert_error(
        await login(user.client, unique_email("nobody"), PASSWORD), 401, "invalid_credentials"
    )
    assert wrong == unknown


async def test_wrong_password_and_unknown_email_take_similar_time(settings: Settings) -> None:
    """Both failures spend one bcrypt check at the configured cost (10 here: slow enough that
    bcrypt dominates the request, fast enough for the suite)."""
    slow = settings.model_copy(update={"bcrypt_rounds": 10})
    async with TestClient(TestServer(create_app(slow))) as client:
        email = unique_email("timing")
        await create_tenant(client.app[DB], "Timing", NewUser(email, PASSWORD), rounds=10)

        async def timed(address: str) -> float:
            start = time.perf_counter()
            r = await login(client, address, "wrong password!")
            assert r.status == 401
            return time.perf_counter() - start

        await timed(email), await timed(unique_email("warm"))  # warm caches and connections
        wrong, unknown = [], []
        for _ in range(5):
            wrong.append(await timed(email))
            unknown.append(await timed(unique_email("ghost")))
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.5 <= ratio <= 2.0, (ratio, wrong, unknown)


async def test_deactivated_user_is_refused(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    stmt = update(User).where(User.tenant_id == user.tenant_id, User.id == user.user_id)
    await run_sql(user, stmt.values(is_active=False))
    await assert_error(await login(user.client, user.email, PASSWORD), 403, "account_disabled")
    # Without the right password the answer does not reveal the account's state.
    await assert_error(
        await login(user.client, user.email, "wrong!pass"), 401, "invalid_credentials"
    )
    await assert_error(await user.get(ME), 401, "token_invalid")


# --- tokens --------------------------------------------------------------------------------------


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def good_claims(a: Actor, s: Settings) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {"sub": str(a.user_id), "tid": str(a.tenant_id)}
    claims |= {"roles": list(a.roles), "jti": uuid.uuid4().hex, "iat": now, "nbf": now}
    return claims | {"exp": now + 3600, "aud": s.jwt_audience, "iss": s.jwt_issuer}


def sign(claims: dict[str, Any], secret: str, alg: str = "HS256") -> str:
    return jwt.encode({"alg": alg}, claims, OctKey.import_key(secret.encode()), algorithms=[alg])


def forged(s: Settings, a: Actor, **changes: Any) -> str:
    return sign({**good_claims(a, s), **changes}, s.jwt_secret)


def tamper_signature(token: str) -> str:
    head, payload, sig = token.split(".")
    middle = len(sig) // 2
    flipped = "A" if sig[middle] != "A" else "B"
    return f"{head}.{payload}.{sig[:middle]}{flipped}{sig[middle + 1 :]}"


def upgrade_roles(token: str) -> str:
    head, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return f"{head}.{b64({**claims, 'roles': ['admin', 'user']})}.{sig}"


def without(claim: str) -> Callable[[Settings, Actor], str]:
    return lambda s, a: sign(
        {k: v for k, v in good_claims(a, s).items() if k != claim}, s.jwt_secret
    )


BAD_TOKENS: dict[str, Callable[[Settings, Actor], str]] = {
    "expired": lambda s, a: forged(s, a, iat=int(time.time()) - 7200, exp=int(time.time()) - 600),
    "not_yet_valid": lambda s, a: forged(s, a, nbf=int(time.time()) + 3600),
    "wrong_audience": lambda s, a: forged(s, a, aud="someone-else"),
    "wrong_issuer": lambda s, a: forged(s, a, iss="evil"),
    "tampered_signature": lambda s, a: tamper_signature(forged(s, a)),
    "tampered_payload": lambda s, a: upgrade_roles(forged(s, a)),
    "other_secret": lambda s, a: sign(good_claims(a, s), "another-secret-" + "y" * 40),
    "alg_none": lambda s, a: f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(good_claims(a, s))}.",
    "alg_hs512": lambda s, a: sign(good_claims(a, s), s.jwt_secret, "HS512"),
    "no_jti": without("jti"),
    "no_tid": without("tid"),
    "garbage": lambda s, a: "not-a-jwt",
}


async def test_forged_token_baseline_is_accepted(tenant: TenantHandle, settings: Settings) -> None:
    """The forging helper makes valid tokens, so each rejection below is due to its one change."""
    user = tenant.users[0]
    r = await user.client.get(ME, headers=bearer(forged(settings, user)))
    assert r.status == 200


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
async def test_bad_tokens_are_rejected(case: str, tenant: TenantHandle, settings: Settings) -> None:
    user = tenant.users[0]
    token = BAD_TOKENS[case](settings, user)
    await assert_error(await user.client.get(ME, headers=bearer(token)), 401, "token_invalid")


async def test_token_naming_another_tenant_is_rejected(
    tenant: TenantHandle, other_tenant: TenantHandle, settings: Settings
) -> None:
    user = tenant.users[0]
    token = forged(settings, user, tid=str(other_tenant.tenant_id))
    await assert_error(await user.client.get(ME, headers=bearer(token)), 401, "token_invalid")


@pytest.mark.parametrize("header", [None, "", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"])
async def test_missing_or_malformed_header(header: str | None, tenant: TenantHandle) -> None:
    headers = {} if header is None else {"Authorization": header}
    r = await tenant.admin.client.get(ME, headers=headers)
    await assert_error(r, 401, "unauthorized")


async def test_me_shape(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    r = await user.get(ME)
    assert r.status == 200
    body = await r.json()
    assert body == {
        "id": str(user.user_id),
        "email": user.email,
        "name": "User 0",
        "tenant_id": str(tenant.tenant_id),
        "roles": ["user"],
        "is_active": True,
    }


async def test_logout_revokes_only_that_token(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    first = (await (await login(user.client, user.email, PASSWORD)).json())["access_token"]
    second = (await (await login(user.client, user.email, PASSWORD)).json())["access_token"]
    r = await user.client.post(LOGOUT, headers=bearer(first))
    assert r.status == 204
    await assert_error(await user.client.get(ME, headers=bearer(first)), 401, "token_invalid")
    await assert_error(await user.client.post(LOGOUT, headers=bearer(first)), 401, "token_invalid")
    assert (await user.client.get(ME, headers=bearer(second))).status == 200


# --- roles ---------------------------------------------------------------------------------------


async def test_admin_route_needs_admin(tenant: TenantHandle) -> None:
    assert (await tenant.admin.get(ADMIN_PROBE)).status == 200
    await assert_error(await tenant.users[0].get(ADMIN_PROBE), 403, "forbidden")


async def test_roles_are_read_live(tenant: TenantHandle) -> None:
    """Role changes in the database apply to tokens already issued."""
    admin, user = tenant.admin, tenant.users[0]
    await run_sql(
        admin,
        delete(UserRole).where(
            UserRole.tenant_id == admin.tenant_id,
            UserRole.user_id == admin.user_id,
            UserRole.role == "admin",
        ),
    )
    await assert_error(await admin.get(ADMIN_PROBE), 403, "forbidden")
    assert (await (await admin.get(ME)).json())["roles"] == ["user"]

    await assert_error(await user.get(UPLOAD_PROBE), 403, "forbidden")
    await run_sql(
        user,
        insert(UserRole).values(
            tenant_id=user.tenant_id, user_id=user.user_id, role="file_uploads"
        ),
    )
    assert (await user.get(UPLOAD_PROBE)).status == 200
    assert (await (await user.get(ME)).json())["roles"] == ["file_uploads", "user"]
