"""Redis stopped under two running server processes (a throwaway redis-server, never the
machine's): push and pull keep working, /readyz reports Redis (503), pokes degrade -- a push on
one process no longer reaches devices on the other, which still converge by pulling; pokes stay
in process -- and once Redis is back on the same port, pokes cross processes again."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fault.servers import (
    Device,
    FaultDatabase,
    PokeSocket,
    ServerProcess,
    login,
    make_tenant,
    server_process,
    throwaway_redis,
)

pytestmark = pytest.mark.postgres_only

# Requests to a process whose Redis is gone must still answer promptly.
PROMPT = 5.0


async def readyz(http: aiohttp.ClientSession, server: ServerProcess) -> tuple[int, Any]:
    async with http.get(f"{server.url}/readyz", timeout=aiohttp.ClientTimeout(total=15)) as r:
        return r.status, await r.json()


async def create_lead(device: Device, name: str) -> tuple[str, int, float]:
    """(lead id, seq of the push, seconds the push took)."""
    lead = str(uuid.uuid4())
    started = time.monotonic()
    result = await device.push([device.mutation("lead", lead, "create", name=name)])
    assert [r["status"] for r in result["results"]] == ["applied"], result
    return lead, int(result["seq"]), time.monotonic() - started


async def wait_pokes_cross(pusher: Device, sock: PokeSocket, timeout: float) -> float:
    """Push on one process until a device on the other is poked for it; seconds it took."""
    start = time.monotonic()
    for attempt in range(200):
        _, seq, _ = await create_lead(pusher, f"Probe {attempt}")
        if await sock.poke_at_least(seq, 1.0) is not None:
            return time.monotonic() - start
        assert time.monotonic() - start < timeout, f"pokes did not cross in {timeout} s"
    raise AssertionError("pokes did not cross")


async def wait_ready(http: aiohttp.ClientSession, server: ServerProcess, timeout: float) -> float:
    start = time.monotonic()
    for _ in range(1000):
        status, _ = await readyz(http, server)
        if status == 200:
            return time.monotonic() - start
        assert time.monotonic() - start < timeout, f"{server.url} not ready in {timeout} s"
        await asyncio.sleep(0.1)
    raise AssertionError("not ready")


async def test_redis_stopped_then_back(fault_db: FaultDatabase, tmp_path: Path) -> None:
    tenant = await make_tenant(fault_db, n_users=1)
    email = tenant.users[0].email
    (tmp_path / "redis").mkdir()
    with throwaway_redis(tmp_path / "redis") as redis_server:
        async with (
            server_process(fault_db, redis_server.url, tmp_path / "a") as a,
            server_process(fault_db, redis_server.url, tmp_path / "b") as b,
            aiohttp.ClientSession() as http,
        ):
            token = await login(http, a.url, email)
            watcher = Device(http, a.url, token)  # a phone connected to process A
            on_b = Device(http, b.url, token)  # another device of the user, served by B
            on_a = Device(http, a.url, token)  # and one served by A
            for device in (watcher, on_b, on_a):
                await device.pull()
            sock = await PokeSocket.connect(http, a.url, token)
            try:
                # Redis up: a push on B pokes the device on A.
                assert (await readyz(http, a))[0] == 200
                await wait_pokes_cross(on_b, sock, timeout=10)

                redis_server.kill()
                for server in (a, b):
                    started = time.monotonic()
                    status, body = await readyz(http, server)
                    assert status == 503, body
                    assert body["checks"]["database"] == "ok"
                    assert body["checks"]["redis"].startswith("error"), body
                    assert body["code"] == "unavailable"
                    assert time.monotonic() - started < PROMPT
                sock.drain()

                # Push and pull still work, promptly, on both processes.
                lead_b, _, took_b = await create_lead(on_b, "Pushed on B while Redis is down")
                assert took_b < PROMPT, f"push took {took_b:.2f} s with Redis down"
                # No poke crosses to A now; a push on A itself still pokes in process. Its poke
                # being the first message proves B's push poked nobody here.
                lead_a, seq_a, took_a = await create_lead(on_a, "Pushed on A while Redis is down")
                assert took_a < PROMPT, f"push took {took_a:.2f} s with Redis down"
                first = await sock.next(5.0)
                assert first == {"type": "poke", "seq": seq_a}, first
                # The device on A converges by polling.
                await watcher.pull()
                assert {("lead", lead_b), ("lead", lead_a)} <= set(watcher.records)
                await on_b.pull()
                assert ("lead", lead_a) in on_b.records

                # Redis back on the same port: ready again, and pokes cross processes again.
                redis_server.start()
                ready_a = await wait_ready(http, a, timeout=15)
                ready_b = await wait_ready(http, b, timeout=15)
                crossing = await wait_pokes_cross(on_b, sock, timeout=30)
                print(
                    f"\nRedis back: /readyz 200 after {ready_a:.2f} s (A), {ready_b:.2f} s (B); "
                    f"pokes cross again {crossing:.2f} s later; pushes with Redis down took "
                    f"{took_b:.3f} s (B) / {took_a:.3f} s (A)"
                )
            finally:
                await sock.close()
