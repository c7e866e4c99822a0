"""``pathsix serve --workers N``: N processes answer on one port; one that dies is replaced
without the port going dark; SIGTERM and SIGHUP stop them all; a supervisor killed outright
takes its workers with it and leaves the port free."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import aiohttp
import pytest

from sync_server.serving import listen
from tests.fault.servers import REDIS_SHARED_URL, FaultDatabase, ServerProcess, server_process

pytestmark = pytest.mark.postgres_only


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """``pid`` runs (a zombie left to an init that does not reap counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def all_gone(pids: set[int], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while running := {pid for pid in pids if alive(pid)}:
        assert time.monotonic() < deadline, f"still running after {timeout} s: {running}"
        await asyncio.sleep(0.05)


def port_free(port: int) -> bool:
    """A new ``serve`` could bind the port (nothing holds it listening)."""
    try:
        listen("127.0.0.1", port).close()
    except OSError:
        return False
    return True


async def answered(server: ServerProcess, n: int) -> list[int]:
    """Statuses of ``n`` requests, each on a connection of its own."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one() -> int:
            async with http.get(f"{server.url}/healthz") as r:
                return r.status

        return await asyncio.gather(*(one() for _ in range(n)))


async def workers_of(server: ServerProcess, count: int, timeout: float = 15.0) -> set[int]:
    assert server.process is not None
    deadline = time.monotonic() + timeout
    while (found := children(server.process.pid)) and len(found) != count:
        assert time.monotonic() < deadline, f"workers {found}, wanted {count}"
        await asyncio.sleep(0.1)
    return found


async def test_workers_share_the_port_and_a_dead_one_is_replaced(
    fault_db: FaultDatabase, tmp_path: Path
) -> None:
    async with server_process(
        fault_db, REDIS_SHARED_URL, tmp_path, args=["--workers", "2"]
    ) as server:
        assert server.process is not None
        first = await workers_of(server, 2)
        assert await answered(server, 20) == [200] * 20
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        assert await answered(server, 10) == [200] * 10  # the other worker keeps the port
        deadline = time.monotonic() + 15
        while (now := children(server.process.pid)) == first or len(now) != 2:
            assert time.monotonic() < deadline, f"not replaced: {now}"
            await asyncio.sleep(0.1)
        assert victim not in now and len(now - first) == 1
        assert await answered(server, 20) == [200] * 20
        server.stop()
        assert server.process.returncode == 0, server.log_tail()
        assert not any(Path(f"/proc/{pid}").exists() for pid in now)
        assert '"worker_exited"' in server.log_text()


async def test_killed_supervisor_takes_its_workers_and_frees_the_port(
    fault_db: FaultDatabase, tmp_path: Path
) -> None:
    async with server_process(
        fault_db, REDIS_SHARED_URL, tmp_path, args=["--workers", "2"]
    ) as server:
        workers = await workers_of(server, 2)
        assert not port_free(server.port)
        server.kill()  # SIGKILL: the supervisor runs no code at all
        await all_gone(workers)
        assert port_free(server.port)
        await server.start()  # the same port, as a restart by systemd would use it
        assert await answered(server, 10) == [200] * 10


async def test_sighup_stops_supervisor_and_workers(fault_db: FaultDatabase, tmp_path: Path) -> None:
    async with server_process(
        fault_db, REDIS_SHARED_URL, tmp_path, args=["--workers", "2"]
    ) as server:
        assert server.process is not None
        workers = await workers_of(server, 2)
        os.kill(min(workers), signal.SIGHUP)  # a hangup is the supervisor's to act on
        assert await answered(server, 10) == [200] * 10
        assert children(server.process.pid) == workers
        server.process.send_signal(signal.SIGHUP)
        assert server.process.wait(timeout=10) == 0, server.log_tail()
        await all_gone(workers)
        assert port_free(server.port)
        assert '"worker_exited"' not in server.log_text()  # stopped, not restarted
