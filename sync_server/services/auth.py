"""Login, token checks, logout and the password-reset flow."""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sync_server.db.engine import Database
from sync_server.db.models import PasswordReset, User
from sync_server.db.repositories import Repositories, lookup_login
from sync_server.errors import ApiError, ErrorCode, validation_error
from sync_server.security.passwords import hash_password, password_problems, verify_password
from sync_server.security.tokens import AccessClaims, ResetTokenSigner, TokenError, TokenService
from sync_server.services.mail import Mail, Mailer
from sync_server.services.ratelimit import RateLimiter, retry_after_header
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_login

INVALID_LOGIN = "Email or password is incorrect"
VERIFIED_TOKENS_KEPT = 10_000  # about 4 MB of tokens and claims at most


def user_payload(user: User, roles: list[str]) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "tenant_id": str(user.tenant_id),
        "roles": roles,
        "is_active": user.is_active,
    }


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does, killing outstanding reset tokens."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@dataclass(slots=True)
class AuthService:
    settings: Settings
    db: Database
    tokens: TokenService
    resets: ResetTokenSigner
    limiter: RateLimiter
    mailer: Mailer
    _verified: dict[str, AccessClaims] = field(default_factory=dict, init=False, repr=False)

    async def _limit(self, key: str, limit: int, window: int) -> None:
        wait = await self.limiter.hit(key, limit, window)
        if wait is not None:
            raise ApiError(
                ErrorCode.RATE_LIMITED,
                "Too many attempts; try again later",
                {"retry_after": int(retry_after_header(wait))},
                headers={"Retry-After": retry_after_header(wait)},
            )

    async def login(self, email: str, password: str, ip: str) -> dict[str, Any]:
        s = self.settings
        await self._limit(f"login:ip:{ip}", s.login_limit_per_ip, s.login_window_seconds)
        await self._limit(
            f"login:email:{email.lower()}", s.login_limit_per_email, s.login_window_seconds
        )
        async with self.db.platform_session() as session:
            found = await lookup_login(session, email)
            user: User | None = None
            if found:
                ctx = mint_for_login(found[0], found[1])
                await self.db.enter_tenant(session, ctx)
                repos = Repositories(ctx, session)
                user = await repos.users.get(found[1])
            # Unknown email and wrong password take the same path: one bcrypt check, one answer.
            known_hash = user.password_hash if user else None
            if not await verify_password(password, known_hash, s.bcrypt_rounds):
                raise ApiError(ErrorCode.INVALID_CREDENTIALS, INVALID_LOGIN)
            assert user is not None
            if not user.is_active:
                raise ApiError(ErrorCode.ACCOUNT_DISABLED, "This account is deactivated")
            roles = await repos.users.roles_of(user.id)
        token = self.tokens.issue(user.id, user.tenant_id, roles)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.tokens.ttl_seconds,
            "user": user_payload(user, roles),
        }

    def verify(self, token: str) -> AccessClaims:
        """The claims of a genuine, unexpired token. A token's signature is checked once and
        remembered until its expiry (it was a tenth of an authenticated request's CPU);
        revocation, the user's state and roles are still read live (``check_live``)."""
        claims = self._verified.get(token)
        if claims is not None and time.time() < claims.expires_at:
            return claims
        try:
            claims = self.tokens.verify(token)
        except TokenError as exc:
            raise ApiError(ErrorCode.TOKEN_INVALID, "Token is invalid or expired") from exc
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            self._verified.clear()
        self._verified[token] = claims
        return claims

    async def check_live(self, repos: Repositories, claims: AccessClaims) -> list[str]:
        """A token stops working once revoked or once its user is deactivated; returns the
        user's current roles."""
        live = await repos.users.live_token(claims.user_id, claims.jti)
        if live is not None and live.revoked:
            raise ApiError(ErrorCode.TOKEN_INVALID, "Token has been revoked")
        if live is None or not live.active:
            raise ApiError(ErrorCode.TOKEN_INVALID, "Token is no longer valid")
        return live.roles

    async def logout(self, repos: Repositories, claims: AccessClaims) -> None:
        await repos.tokens.revoke(claims.jti, datetime.fromtimestamp(claims.expires_at, UTC))

    async def forgot_password(self, email: str, ip: str) -> None:
        s = self.settings
        await self._limit(f"forgot:ip:{ip}", s.forgot_limit * 4, s.forgot_window_seconds)
        await self._limit(f"forgot:email:{email.lower()}", s.forgot_limit, s.forgot_window_seconds)
        async with self.db.platform_session() as session:
            found = await lookup_login(session, email)
            if not found:
                return
            ctx = mint_for_login(found[0], found[1])
            await self.db.enter_tenant(session, ctx)
            repos = Repositories(ctx, session)
            user = await repos.users.get(found[1])
            if user is None or not user.is_active:
                return
            expires = datetime.now(UTC) + timedelta(seconds=self.resets.ttl_seconds)
            reset = await repos.resets.create(
                PasswordReset(id=uuid.uuid4(), user_id=user.id, expires_at=expires)
            )
            token = self.resets.sign(user.tenant_id, reset.id, password_fingerprint(user))
        link = f"{s.public_url}/reset-password?token={token}"
        body = f"Use this link within an hour to choose a new password:\n\n{link}\n"
        await self.mailer.send(Mail(to=user.email, subject="Reset your password", body=body))

    async def reset_password(self, token: str, password: str) -> None:
        if problems := password_problems(password):
            raise validation_error({"password": problems})
        try:
            tenant_id, reset_id, fingerprint = self.resets.load(token)
        except TokenError as exc:
            raise ApiError(ErrorCode.TOKEN_INVALID, str(exc)) from exc
        ctx = mint_for_login(tenant_id)
        async with self.db.session(ctx) as session:
            repos = Repositories(ctx, session)
            reset = await repos.resets.get(reset_id)
            user = await repos.users.get(reset.user_id) if reset else None
            if reset is None or user is None or reset.used_at is not None:
                raise ApiError(ErrorCode.TOKEN_INVALID, "reset token already used or unknown")
            if reset.expires_at < datetime.now(UTC) or password_fingerprint(user) != fingerprint:
                raise ApiError(ErrorCode.TOKEN_INVALID, "reset token expired")
            await repos.resets.mark_used(reset)
            new_hash = await hash_password(password, self.settings.bcrypt_rounds)
            await repos.users.set_password(user.id, new_hash)
