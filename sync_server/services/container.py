"""The services an application holds, built once from settings in ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from sync_server.db.engine import Database
from sync_server.security.tokens import ResetTokenSigner, TokenService
from sync_server.services.auth import AuthService
from sync_server.services.mail import LogMailer, Mailer, SmtpMailer
from sync_server.services.pokes import PokeHub
from sync_server.services.ratelimit import InProcessLimiter, RateLimiter, RedisLimiter
from sync_server.services.sync_cursor import CursorCodec
from sync_server.settings import Settings


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    redis: Redis | None
    limiter: RateLimiter
    mailer: Mailer
    tokens: TokenService
    auth: AuthService
    pokes: PokeHub
    cursors: CursorCodec


def build_services(settings: Settings, db: Database, redis: Redis | None) -> Services:
    limiter: RateLimiter = RedisLimiter(redis) if redis is not None else InProcessLimiter()
    mailer: Mailer = (
        SmtpMailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else LogMailer()
    )
    tokens = TokenService(
        settings.jwt_secret, settings.jwt_audience, settings.jwt_issuer, settings.token_ttl_seconds
    )
    resets = ResetTokenSigner(settings.jwt_secret, settings.reset_token_ttl_seconds)
    auth = AuthService(settings, db, tokens, resets, limiter, mailer)
    return Services(
        settings,
        db,
        redis,
        limiter,
        mailer,
        tokens,
        auth,
        PokeHub(redis),
        CursorCodec(settings.jwt_secret),
    )
