"""A real server on a private event loop, for synchronous (Hypothesis stateful) sync tests.

Hypothesis drives a state machine with plain method calls, so each step runs its coroutine to
completion on a loop this module owns (not pytest-asyncio's): one app and one aiohttp
``TestServer`` per test, a fresh tenant per example.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from aiohttp.test_utils import TestClient, TestServer

from sync_server.app import create_app
from sync_server.client import HttpTransport, LossyTransport, SyncClient
from sync_server.db.repositories import Repositories
from sync_server.http.keys import DB, SERVICES
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import Actor, TenantHandle, build_tenant

T = TypeVar("T")


@dataclass
class Device:
    """A reference client, the user it belongs to, and the fault injector under it."""

    actor: Actor
    client: SyncClient
    lossy: LossyTransport

    @property
    def name(self) -> str:
        return f"{self.actor.email.split('-')[0]}/{str(self.client.client_id)[:4]}"


def device_for(actor: Actor, **kw: Any) -> Device:
    lossy = LossyTransport(HttpTransport(actor.client, actor.token))
    return Device(actor, SyncClient(lossy, **kw), lossy)


class World:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.client: TestClient[Any, Any] = self.run(self._start())

    async def _start(self) -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = TestClient(TestServer(create_app(self.settings)))
        await client.start_server()
        return client

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def tenant(self, n_users: int) -> TenantHandle:
        app = self.client.app
        assert app is not None
        return self.run(
            build_tenant(
                self.client, app[DB], app[SERVICES].tokens, self.settings.bcrypt_rounds, n_users
            )
        )

    def close(self) -> None:
        try:
            self.run(self.client.close())
        finally:
            self.loop.close()


async def settle(devices: list[Device], rounds: int = 8) -> int:
    """Sync every device, round after round, until a round changes nothing; the server seq."""
    last: Any = None
    for _ in range(rounds):
        for dev in devices:
            await dev.client.push()
        pulls = [await dev.client.pull() for dev in devices]
        state = (pulls[-1].server_seq, [dev.client.view() for dev in devices])
        if state == last and not any(dev.client.pending for dev in devices):
            return pulls[-1].server_seq
        last = state
    raise AssertionError(f"devices did not settle in {rounds} rounds")


async def compact_change_log(client: TestClient[Any, Any], tenant_id: uuid.UUID) -> int:
    """Drop the tenant's whole change log (the tombstone horizon moves to now); the horizon."""
    app = client.app
    assert app is not None
    ctx = mint_for_platform(tenant_id)
    async with app[DB].session(ctx) as session:
        return await Repositories(ctx, session).sync.compact(
            datetime.now(UTC) + timedelta(seconds=1)
        )
