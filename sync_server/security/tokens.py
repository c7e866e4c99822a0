"""Access tokens (JWT, HS256 only) and signed password-reset tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

ALGORITHMS = ["HS256"]  # allow-list: "none" and every other algorithm are refused


class TokenError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    roles: tuple[str, ...]
    jti: str
    expires_at: int


class TokenService:
    def __init__(self, secret: str, audience: str, issuer: str, ttl_seconds: int) -> None:
        self._key = OctKey.import_key(secret.encode())
        self._audience = audience
        self._issuer = issuer
        self.ttl_seconds = ttl_seconds
        self._registry = jwt.JWTClaimsRegistry(
            leeway=30,
            aud={"essential": True, "value": audience},
            iss={"essential": True, "value": issuer},
            sub={"essential": True},
            tid={"essential": True},
            jti={"essential": True},
            exp={"essential": True},
            nbf={"essential": True},
            iat={"essential": True},
        )

    def issue(self, user_id: uuid.UUID, tenant_id: uuid.UUID, roles: Iterable[str]) -> str:
        now = int(time.time())
        claims = {
            "sub": str(user_id),
            "tid": str(tenant_id),
            "roles": sorted(roles),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_seconds,
            "aud": self._audience,
            "iss": self._issuer,
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key, algorithms=ALGORITHMS)

    def verify(self, token: str) -> AccessClaims:
        try:
            decoded = jwt.decode(token, self._key, algorithms=ALGORITHMS)
            self._registry.validate(decoded.claims)
            claims = decoded.claims
            roles = claims.get("roles", [])
            if not isinstance(roles, list):
                raise TokenError("roles claim is not a list")
            return AccessClaims(
                user_id=uuid.UUID(str(claims["sub"])),
                tenant_id=uuid.UUID(str(claims["tid"])),
                roles=tuple(str(r) for r in roles),
                jti=str(claims["jti"]),
                expires_at=int(claims["exp"]),
            )
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise TokenError(str(exc)) from exc


class ResetTokenSigner:
    """Reset tokens carry (tenant, reset id, password fingerprint): they expire, are single-use
    (the reset row's ``used_at``) and die when the password changes (the fingerprint moves)."""

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="pathsix-password-reset")
        self.ttl_seconds = ttl_seconds

    def sign(self, tenant_id: uuid.UUID, reset_id: uuid.UUID, fingerprint: str) -> str:
        return self._serializer.dumps([str(tenant_id), str(reset_id), fingerprint])

    def load(self, token: str) -> tuple[uuid.UUID, uuid.UUID, str]:
        try:
            tid, rid, fp = self._serializer.loads(token, max_age=self.ttl_seconds)
            return uuid.UUID(tid), uuid.UUID(rid), str(fp)
        except SignatureExpired as exc:
            raise TokenError("reset token expired") from exc
        except (BadSignature, ValueError, TypeError) as exc:
            raise TokenError("reset token invalid") from exc
