"""Alembic driven from code: ``pathsix db upgrade``, the embedded auto-migration and /readyz."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from sync_server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str, app_role: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["url"] = url
    cfg.attributes["app_role"] = app_role
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(settings.effective_migration_url, settings.app_db_role)
    command.upgrade(cfg, revision)


def downgrade(settings: Settings, revision: str = "base") -> None:
    cfg = alembic_config(settings.effective_migration_url, settings.app_db_role)
    command.downgrade(cfg, revision)


def head_revision() -> str | None:
    script = ScriptDirectory.from_config(alembic_config("", ""))
    return script.get_current_head()


async def is_at_head(engine: AsyncEngine) -> bool:
    def _current(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with engine.connect() as conn:
        current = await conn.run_sync(_current)
    return current == head_revision()


async def upgrade_async(settings: Settings) -> None:
    await asyncio.to_thread(upgrade, settings)
