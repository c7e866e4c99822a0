"""The ``pathsix`` command line, in-process, against the suite's backend (SQLite or PostgreSQL).

``main()`` runs its own event loop (``asyncio.run``), so it is called in a worker thread. It reads
its configuration from the environment, which each test points at the session's database.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from sync_server.app import create_app
from sync_server.cli import main
from sync_server.settings import Settings
from tests.support.backends import make_settings
from tests.support.tenants import PASSWORD, TenantHandle, unique_email


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        assert self.code == 0, self.err
        lines = [line for line in self.out.splitlines() if line.strip()]
        assert len(lines) == 1, f"--json must print exactly one line, got {self.out!r}"
        value = json.loads(lines[0])
        assert isinstance(value, dict)
        return value


CLI = Callable[..., Coroutine[Any, Any, Run]]


def _point_env_at(monkeypatch: pytest.MonkeyPatch, s: Settings) -> None:
    monkeypatch.setenv("DATABASE_URL", s.effective_database_url)
    monkeypatch.setenv("PATHSIX_MIGRATION_DATABASE_URL", s.migration_database_url)
    monkeypatch.setenv("REDIS_URL", s.redis_url)
    monkeypatch.setenv("PATHSIX_VAR_DIR", str(s.var_dir))
    monkeypatch.setenv("PATHSIX_JWT_SECRET", s.jwt_secret)
    monkeypatch.setenv("PATHSIX_BCRYPT_ROUNDS", str(s.bcrypt_rounds))
    monkeypatch.setenv("PATHSIX_LOG_LEVEL", "WARNING")


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CLI:
    _point_env_at(monkeypatch, settings)

    async def run(*argv: str) -> Run:
        capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


async def _login(client: TestClient[Any, Any], email: str, password: str) -> dict[str, Any]:
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert r.status == 200, await r.text()
    body: dict[str, Any] = await r.json()
    return body


async def _create_tenant(cli: CLI, email: str) -> dict[str, Any]:
    run = await cli(
        "tenant", "create", "--name", "CLI Co", "--admin-email", email,
        "--admin-password", PASSWORD, "--json",
    )  # fmt: skip
    return run.json()


async def test_tenant_create_json_and_its_admin_can_log_in(
    cli: CLI, client: TestClient[Any, Any]
) -> None:
    email = unique_email("cli-admin")
    out = await _create_tenant(cli, email.upper())
    assert set(out) == {"tenant_id", "name", "user_id", "email", "roles"}
    assert out["name"] == "CLI Co"
    assert out["email"] == email
    assert out["roles"] == ["admin", "user"]
    assert uuid.UUID(out["tenant_id"]) and uuid.UUID(out["user_id"])

    login = await _login(client, email, PASSWORD)
    assert login["user"]["tenant_id"] == out["tenant_id"]
    assert login["user"]["id"] == out["user_id"]


async def test_user_create_json_with_roles(cli: CLI, client: TestClient[Any, Any]) -> None:
    tenant = await _create_tenant(cli, unique_email("cli-admin"))
    email = unique_email("cli-user")
    run = await cli(
        "user", "create", "--tenant-id", tenant["tenant_id"], "--email", email,
        "--password", PASSWORD, "--name", "Field Person",
        "--role", "user", "--role", "file_uploads", "--json",
    )  # fmt: skip
    out = run.json()
    assert out["tenant_id"] == tenant["tenant_id"]
    assert out["email"] == email
    assert out["name"] == "Field Person"
    assert out["roles"] == ["file_uploads", "user"]

    token = (await _login(client, email, PASSWORD))["access_token"]
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    assert sorted((await me.json())["roles"]) == ["file_uploads", "user"]


async def test_user_create_defaults_to_role_user_and_prints_text(cli: CLI) -> None:
    tenant = await _create_tenant(cli, unique_email("cli-admin"))
    email = unique_email("cli-plain")
    run = await cli(
        "user", "create", "--tenant-id", tenant["tenant_id"], "--email", email,
        "--password", PASSWORD,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert email in run.out
    assert "roles: user" in run.out


async def test_duplicate_email_exits_1_with_a_message(cli: CLI) -> None:
    email = unique_email("cli-dup")
    tenant = await _create_tenant(cli, email)

    again = await cli(
        "tenant", "create", "--name", "Other", "--admin-email", email,
        "--admin-password", PASSWORD, "--json",
    )  # fmt: skip
    assert again.code == 1
    assert again.out == ""
    assert "already exists" in again.err

    # Emails are unique across the platform and compared case-insensitively.
    dup_user = await cli(
        "user", "create", "--tenant-id", tenant["tenant_id"], "--email", email.upper(),
        "--password", PASSWORD, "--json",
    )  # fmt: skip
    assert dup_user.code == 1
    assert dup_user.out == ""
    assert "already exists" in dup_user.err


async def test_refusals_exit_1_with_a_message(cli: CLI) -> None:
    weak = await cli(
        "tenant", "create", "--name", "Weak", "--admin-email", unique_email("cli-weak"),
        "--admin-password", "short",
    )  # fmt: skip
    assert weak.code == 1
    assert "password" in weak.err

    missing = await cli(
        "user", "create", "--tenant-id", str(uuid.uuid4()), "--email", unique_email("cli-x"),
        "--password", PASSWORD,
    )  # fmt: skip
    assert missing.code == 1
    assert "tenant not found" in missing.err


def test_unknown_role_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            ["user", "create", "--tenant-id", str(uuid.uuid4()), "--email", "a@b.test",
             "--password", PASSWORD, "--role", "root"]
        )  # fmt: skip
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.fixture
async def fresh_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Settings, CLI]:
    """A database of its own, not migrated yet: demo seed must start from an empty platform."""
    s = await asyncio.to_thread(make_settings, tmp_path, "cli_fresh")
    _point_env_at(monkeypatch, s)

    async def run(*argv: str) -> Run:
        capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return s, run


async def test_db_upgrade_is_idempotent_demo_seed_runs_once_and_sync_compacts(
    fresh_db: tuple[Settings, CLI],
) -> None:
    s, cli = fresh_db
    for _ in range(2):
        up = await cli("db", "upgrade")
        assert up.code == 0, up.err
        assert "upgraded" in up.out

    first = (await cli("demo", "seed", "--json")).json()
    assert first["created"] is True
    emails = [login["email"] for login in first["logins"]]
    assert emails == [
        "admin@demo.pathsix.test",
        "field1@demo.pathsix.test",
        "field2@demo.pathsix.test",
        "field3@demo.pathsix.test",
    ]
    assert first["logins"][0]["roles"] == ["admin", "user"]
    assert all(login["roles"] == ["user"] for login in first["logins"][1:])

    second = (await cli("demo", "seed", "--json")).json()
    assert second["created"] is False
    assert second["tenant_id"] == first["tenant_id"]
    assert second["logins"] == first["logins"]

    text = await cli("demo", "seed")
    assert text.code == 0, text.err
    assert "already present" in text.out
    for email in emails:
        assert email in text.out

    async with TestClient(TestServer(create_app(s))) as client:
        for login in first["logins"]:
            body = await _login(client, login["email"], login["password"])
            assert body["user"]["tenant_id"] == first["tenant_id"]
            assert sorted(body["user"]["roles"]) == login["roles"]

    compact = await cli("sync", "compact")
    assert compact.code == 0, compact.err
    assert f"tenant {first['tenant_id']}: horizon seq" in compact.out
    assert "compacted 1 tenant(s)" in compact.out


@pytest.mark.parametrize(
    ("database_url", "redis_url", "refusal"),
    [
        ("", "redis://127.0.0.1:6379/0", "need PostgreSQL"),
        ("postgresql+asyncpg://pathsix@127.0.0.1/none", "", "need Redis"),
    ],
)
def test_several_workers_need_postgresql_and_redis(
    database_url: str,
    redis_url: str,
    refusal: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Workers share nothing in memory: on the embedded SQLite file, or without Redis for
    pokes and rate limits, ``serve --workers 2`` refuses to start (and binds nothing)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("PATHSIX_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PATHSIX_JWT_SECRET", "x" * 40)
    assert main(["serve", "--port", "1", "--workers", "2"]) == 1
    assert refusal in capsys.readouterr().err


async def test_search_reindex_goes_over_every_tenant(cli: CLI, tenant: TenantHandle) -> None:
    done = await cli("search", "reindex")
    assert done.code == 0, done.err
    assert f"tenant {tenant.tenant_id}: 0 words added, 0 removed" in done.out
    assert "reindexed" in done.out.splitlines()[-1]
