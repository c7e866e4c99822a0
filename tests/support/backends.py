"""Which database the integration suite runs on: ``PATHSIX_TEST_BACKEND=sqlite|postgres``.

The PostgreSQL backend makes its own database and roles (scripts/pg_setup.py), migrates as the
owner and connects as the non-owner application role, so RLS is really exercised; it uses Redis
database 15 for rate limits and pokes.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from scripts import pg_setup
from sync_server.settings import Settings

BACKEND = os.environ.get("PATHSIX_TEST_BACKEND", "sqlite")
REDIS_TEST_URL = os.environ.get("PATHSIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

TEST_DEFAULTS: dict[str, object] = {
    "jwt_secret": "test-secret-" + "x" * 40,
    "bcrypt_rounds": 4,
    "login_limit_per_ip": 100_000,
    "login_limit_per_email": 100_000,
    "forgot_limit": 100_000,
    "log_level": "WARNING",
}


def is_postgres() -> bool:
    return BACKEND == "postgres"


def make_settings(tmp_dir: Path, name: str = "main", **overrides: object) -> Settings:
    """Create (and drop if present) a fresh database for one test session or test."""
    values = dict(TEST_DEFAULTS)
    if is_postgres():
        # One database per test process, so concurrent runs on one machine never share (and
        # drop) each other's database.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        db_name = f"pathsix_test_{worker}_{os.getpid()}_{name}"
        pg_setup.create_database(db_name, drop=True)
        app_url, owner_url = pg_setup.urls(db_name)
        values.update(
            database_url=app_url, migration_database_url=owner_url, redis_url=REDIS_TEST_URL
        )
    else:
        path = tmp_dir / f"{name}-{uuid.uuid4().hex[:8]}.db"
        values.update(database_url=f"sqlite+aiosqlite:///{path}", redis_url="")
    values.update(var_dir=tmp_dir / "var")
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
