"""The one settings object. No other module reads the environment.

Conventional names (DATABASE_URL, REDIS_URL, SENTRY_DSN) stay unprefixed because Fly.io sets them;
everything else is PATHSIX_*. Secrets absent from the environment are generated once into ./var/
(embedded default) with a warning, never printed.
"""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PATHSIX_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default="", validation_alias=AliasChoices("DATABASE_URL", "PATHSIX_DATABASE_URL")
    )
    # Migrations run as the table owner; the app connects as a role that owns nothing (RLS).
    migration_database_url: str = ""
    app_db_role: str = "pathsix_app"
    redis_url: str = Field(
        default="", validation_alias=AliasChoices("REDIS_URL", "PATHSIX_REDIS_URL")
    )
    sentry_dsn: str = Field(
        default="", validation_alias=AliasChoices("SENTRY_DSN", "PATHSIX_SENTRY_DSN")
    )

    var_dir: Path = Path("var")
    jwt_secret: str = ""
    jwt_audience: str = "pathsix-crm"
    jwt_issuer: str = "pathsix"
    token_ttl_seconds: int = 30 * 24 * 3600
    reset_token_ttl_seconds: int = 3600
    # 12 or more in production (API.md); tests may lower it to keep the suite fast.
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)

    cors_origins: list[str] = []
    smtp_url: str = ""
    mail_from: str = "PathSix CRM <no-reply@pathsix.local>"
    public_url: str = "http://127.0.0.1:8080"
    storage_url: str = ""

    # The header a trusted reverse proxy puts the client's address in (Fly.io: Fly-Client-IP).
    # Unset, the socket peer is the client: a header anyone can send must not pick the rate-limit
    # bucket of the login and reset limits.
    client_ip_header: str | None = None

    login_limit_per_ip: int = 20
    login_limit_per_email: int = 5
    login_window_seconds: int = 60
    forgot_limit: int = 5
    forgot_window_seconds: int = 3600

    # Change-log rows older than this are compacted (`pathsix sync compact`); a device whose pull
    # cursor is older than the compaction horizon gets `reset: true` and a full snapshot.
    sync_retention_days: int = Field(default=30, ge=1)

    max_body_bytes: int = 5 * 1024 * 1024
    slow_query_ms: int = 200
    log_level: str = "INFO"
    static_dir: Path | None = None
    # Test servers only (sync_server/failpoints.py): comma-separated failpoint names.
    failpoints: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.var_dir / 'pathsix.db'}"

    @property
    def effective_migration_url(self) -> str:
        return self.migration_database_url or self.effective_database_url

    def with_secrets(self) -> Settings:
        """Fill a missing JWT secret from ./var/ (generated once), as the embedded default does."""
        if self.jwt_secret:
            return self
        path = self.var_dir / "jwt_secret"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
            warnings.warn(
                f"PATHSIX_JWT_SECRET is not set: generated one into {path}. "
                "Set it in the environment for production.",
                stacklevel=2,
            )
        return self.model_copy(update={"jwt_secret": path.read_text().strip()})
