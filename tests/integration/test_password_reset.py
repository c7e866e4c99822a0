"""Password rules and the forgot/reset flow (API.md, Auth)."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from itsdangerous.timed import TimestampSigner
from sqlalchemy import update

from sync_server.app import create_app
from sync_server.db.models import PasswordReset, User
from sync_server.errors import ApiError
from sync_server.http.keys import DB, SERVICES
from sync_server.security.passwords import hash_password
from sync_server.services.mail import LogMailer
from sync_server.services.tenants import NewUser, create_tenant, create_user
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import PASSWORD, TenantHandle, unique_email

FORGOT, RESET, LOGIN = (
    "/api/v1/auth/forgot-password",
    "/api/v1/auth/reset-password",
    "/api/v1/auth/login",
)
NEW_PASSWORD = "a brand new passphrase"
# 64 characters, exactly 72 bytes in UTF-8: the longest password allowed.
LONGEST = "é" * 8 + "a" * 56


def outbox(client: TestClient[Any, Any]) -> LogMailer:
    mailer = client.app[SERVICES].mailer
    assert isinstance(mailer, LogMailer)
    return mailer


async def request_token(client: TestClient[Any, Any], email: str) -> str:
    r = await client.post(FORGOT, json={"email": email})
    assert r.status == 202
    mails = [m for m in outbox(client).outbox if m.to == email]
    assert mails, "no reset mail was sent"
    found = re.search(r"token=([A-Za-z0-9_.\-]+)", mails[-1].body)
    assert found is not None, mails[-1].body
    return found.group(1)


async def reset(client: TestClient[Any, Any], token: str, password: str) -> Any:
    return await client.post(RESET, json={"token": token, "password": password})


async def login_status(client: TestClient[Any, Any], email: str, password: str) -> int:
    return (await client.post(LOGIN, json={"email": email, "password": password})).status


async def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    body: dict[str, Any] = await response.json()
    assert response.status == status, body
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == code
    return body


# --- password rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["x" * 7, "x" * 65, "é" * 64, "é" * 8 + "a" * 57],
    ids=["7_chars", "65_chars", "64_chars_128_bytes", "65_chars_73_bytes"],
)
async def test_password_rules_on_reset(tenant: TenantHandle, password: str) -> None:
    user = tenant.users[0]
    token = await request_token(user.client, user.email)
    body = await assert_error(await reset(user.client, token, password), 422, "validation_error")
    assert list(body["details"]["fields"]) == ["password"]
    if len(password.encode()) > 72:
        assert "72 bytes" in str(body["details"]["fields"]["password"])
    # The refused request neither consumed the token nor changed the password.
    assert await login_status(user.client, user.email, PASSWORD) == 200
    assert (await reset(user.client, token, NEW_PASSWORD)).status == 204


async def test_password_rules_when_creating_users(tenant: TenantHandle, settings: Settings) -> None:
    db = tenant.admin.client.app[DB]
    for bad in ("short", "é" * 40):
        with pytest.raises(ApiError) as caught:
            await create_user(db, tenant.tenant_id, NewUser(unique_email("u"), bad), 4)
        assert caught.value.status == 422
        assert "password" in caught.value.details["fields"]


async def test_longest_password_is_never_truncated(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    assert len(LONGEST) == 64 and len(LONGEST.encode()) == 72
    token = await request_token(user.client, user.email)
    assert (await reset(user.client, token, LONGEST)).status == 204
    assert await login_status(user.client, user.email, LONGEST) == 200
    assert await login_status(user.client, user.email, LONGEST[:-1]) == 401
    # 73 bytes whose first 72 are the password: must not match a truncated comparison.
    assert await login_status(user.client, user.email, LONGEST + "z") == 401
    with pytest.raises(ValueError):
        await hash_password(LONGEST + "z", 4)


async def test_bcrypt_default_cost_is_12(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATHSIX_BCRYPT_ROUNDS", raising=False)
    rounds = Settings(_env_file=None).bcrypt_rounds
    assert rounds == 12
    assert (await hash_password("x" * 8, rounds)).startswith("$2b$12$")


# --- forgot / reset ------------------------------------------------------------------------------


async def test_forgot_password_answers_the_same_for_unknown_emails(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    before = len(outbox(client).outbox)
    known = await client.post(FORGOT, json={"email": user.email.upper()})
    unknown = await client.post(FORGOT, json={"email": unique_email("nobody")})
    assert known.status == unknown.status == 202
    assert await known.json() == await unknown.json()
    sent = outbox(client).outbox[before:]
    assert [m.to for m in sent] == [user.email]
    assert "token=" in sent[0].body


async def test_reset_flow(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    token = await request_token(client, user.email)
    r = await reset(client, token, NEW_PASSWORD)
    assert r.status == 204
    assert await login_status(client, user.email, NEW_PASSWORD) == 200
    assert await login_status(client, user.email, PASSWORD) == 401
    # Single use.
    await assert_error(await reset(client, token, "yet another password"), 401, "token_invalid")
    assert await login_status(client, user.email, NEW_PASSWORD) == 200


async def test_token_dies_when_the_password_changes(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    older = await request_token(client, user.email)
    newer = await request_token(client, user.email)
    assert (await reset(client, newer, NEW_PASSWORD)).status == 204
    await assert_error(await reset(client, older, "sneaky password"), 401, "token_invalid")
    assert await login_status(client, user.email, NEW_PASSWORD) == 200


async def test_tampered_token_is_rejected(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    token = await request_token(client, user.email)
    payload, _, signature = token.rpartition(".")
    forged = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    await assert_error(await reset(client, forged, NEW_PASSWORD), 401, "token_invalid")
    await assert_error(await reset(client, "x" * 40, NEW_PASSWORD), 401, "token_invalid")
    assert await login_status(client, user.email, PASSWORD) == 200


async def test_expired_by_settings_ttl(settings: Settings) -> None:
    short = settings.model_copy(update={"reset_token_ttl_seconds": 0})
    async with TestClient(TestServer(create_app(short))) as client:
        email = unique_email("ttl")
        await create_tenant(client.app[DB], "TTL", NewUser(email, PASSWORD), 4)
        token = await request_token(client, email)
        await assert_error(await reset(client, token, NEW_PASSWORD), 401, "token_invalid")
        assert await login_status(client, email, PASSWORD) == 200


async def test_expired_signature_is_rejected(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signed timestamp alone expires a token, even while its database row is still valid."""
    user, client = tenant.users[0], tenant.users[0].client
    signer = client.app[SERVICES].auth.resets
    genuine = await request_token(client, user.email)
    tenant_id, reset_id, fingerprint = signer.load(genuine)
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda _self: int(time.time()) - 7200)
        old = signer.sign(tenant_id, reset_id, fingerprint)
    await assert_error(await reset(client, old, NEW_PASSWORD), 401, "token_invalid")
    assert (await reset(client, genuine, NEW_PASSWORD)).status == 204


async def test_expired_row_is_rejected(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    token = await request_token(client, user.email)
    _, reset_id, _ = client.app[SERVICES].auth.resets.load(token)
    past = datetime.now(UTC) - timedelta(minutes=1)
    async with client.app[DB].session(mint_for_platform(user.tenant_id)) as session:
        stmt = update(PasswordReset).where(
            PasswordReset.tenant_id == user.tenant_id, PasswordReset.id == reset_id
        )
        await session.execute(stmt.values(expires_at=past))
    await assert_error(await reset(client, token, NEW_PASSWORD), 401, "token_invalid")


async def test_no_mail_for_deactivated_users(tenant: TenantHandle) -> None:
    user, client = tenant.users[0], tenant.users[0].client
    async with client.app[DB].session(mint_for_platform(user.tenant_id)) as session:
        stmt = update(User).where(User.tenant_id == user.tenant_id, User.id == user.user_id)
        await session.execute(stmt.values(is_active=False))
    before = len(outbox(client).outbox)
    assert (await client.post(FORGOT, json={"email": user.email})).status == 202
    assert outbox(client).outbox[before:] == []


async def test_reset_token_of_unknown_row_is_rejected(tenant: TenantHandle) -> None:
    client = tenant.users[0].client
    token = client.app[SERVICES].auth.resets.sign(tenant.tenant_id, uuid.uuid4(), "0" * 16)
    await assert_error(await reset(client, token, NEW_PASSWORD), 401, "token_invalid")
