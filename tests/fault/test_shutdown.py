"""Stopping a server with devices connected: SIGTERM closes their poke sockets as "going away"
(1001, so they reconnect elsewhere at once) and the process exits promptly, instead of waiting
for each socket's heartbeat to fail (about 45 s) while holding the port."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSCloseCode

from tests.fault.servers import (
    REDIS_SHARED_URL,
    FaultDatabase,
    PokeSocket,
    login,
    make_tenant,
    server_process,
)

pytestmark = pytest.mark.postgres_only

STOPPED_WITHIN = 10.0  # seconds; the heartbeat path takes ~45


@pytest.mark.parametrize("args", [[], ["--workers", "2"]], ids=["one process", "two workers"])
async def test_sigterm_closes_poke_sockets_and_stops_promptly(
    fault_db: FaultDatabase, tmp_path: Path, args: list[str]
) -> None:
    tenant = await make_tenant(fault_db, n_users=1)
    async with (
        server_process(fault_db, REDIS_SHARED_URL, tmp_path, args=args) as server,
        aiohttp.ClientSession() as http,
    ):
        token = await login(http, server.url, tenant.users[0].email)
        sockets = [await PokeSocket.connect(http, server.url, token) for _ in range(3)]
        assert server.process is not None
        started = time.monotonic()
        server.process.terminate()
        try:
            status = await asyncio.to_thread(server.process.wait, STOPPED_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {STOPPED_WITHIN} s after SIGTERM:\n{server.log_tail()}")
        assert status == 0, server.log_tail()
        for sock in sockets:  # each was told, not dropped
            assert sock.ws.closed and sock.ws.close_code == WSCloseCode.GOING_AWAY, (
                sock.ws.close_code
            )
        assert time.monotonic() - started < STOPPED_WITHIN
