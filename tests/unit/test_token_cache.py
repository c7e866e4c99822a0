"""``AuthService.verify`` remembers a token's verified signature until the token expires: a
second use skips the JWT check, an expired one is checked again (and refused), and a forged token
is never remembered."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from sync_server.errors import ApiError
from sync_server.security.tokens import AccessClaims, TokenService
from sync_server.services.auth import AuthService

SECRET = "unit-test-secret-" + "x" * 40


class CountingTokens(TokenService):
    def __init__(self) -> None:
        super().__init__(SECRET, "pathsix", "pathsix-test", ttl_seconds=3600)
        self.checks = 0

    def verify(self, token: str) -> AccessClaims:
        self.checks += 1
        return super().verify(token)


def _service(tokens: TokenService) -> AuthService:
    unused: Any = None  # login, reset and rate limiting are not exercised here
    return AuthService(unused, unused, tokens, unused, unused, unused)


def test_a_token_is_checked_once_while_it_is_valid() -> None:
    tokens = CountingTokens()
    auth = _service(tokens)
    user, tenant = uuid.uuid4(), uuid.uuid4()
    token = tokens.issue(user, tenant, ["user"])
    first = auth.verify(token)
    assert auth.verify(token) == first and (first.user_id, first.tenant_id) == (user, tenant)
    assert tokens.checks == 1
    other = tokens.issue(user, tenant, ["user"])
    assert auth.verify(other).jti != first.jti and tokens.checks == 2


def test_an_expired_token_is_checked_again_and_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = CountingTokens()
    auth = _service(tokens)
    token = tokens.issue(uuid.uuid4(), uuid.uuid4(), ["user"])
    auth.verify(token)
    later = time.time() + 3600 + 60  # past the expiry and its leeway
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(ApiError):
        auth.verify(token)
    assert tokens.checks == 2


def test_a_forged_token_is_never_remembered() -> None:
    tokens = CountingTokens()
    auth = _service(tokens)
    genuine = tokens.issue(uuid.uuid4(), uuid.uuid4(), ["user"])
    head, payload, signature = genuine.split(".")
    forged = f"{head}.{payload}.{signature[:-4]}AAAA"
    for _ in range(2):
        with pytest.raises(ApiError):
            auth.verify(forged)
    assert tokens.checks == 2
