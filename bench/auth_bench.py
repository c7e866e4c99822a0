"""Login and /auth/me throughput and latency against a real ``pathsix serve`` on PostgreSQL.

    .venv/bin/python bench/auth_bench.py [--duration 10] [--concurrency 1 20] [--rounds 12]

What it does, all on 127.0.0.1:

1. (re)creates the ``pathsix_bench_auth`` database with the owner/app roles (scripts/pg_setup.py),
   migrates it with ``pathsix db upgrade`` and creates a tenant with ``pathsix tenant create``;
2. starts ``pathsix serve`` as a subprocess (production settings: PostgreSQL as the non-owner app
   role under RLS, Redis rate limiter on database 14, bcrypt cost 12, INFO logs to a file) with
   the login rate limits raised so that the benchmark measures work, not 429s;
3. for each concurrency N runs two scenarios for a fixed duration each: ``POST /api/v1/auth/login``
   and ``GET /api/v1/auth/me`` (bearer token), with N aiohttp client tasks in closed loops;
4. prints a markdown table: requests, errors, throughput, p50/p95/p99 latency.

The client runs in this process on the same machine, so it competes with the server for CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import pg_setup  # noqa: E402

HOST = "127.0.0.1"
PASSWORD = "bench-password-123"
EMAIL = "bench-admin@bench.pathsix.test"


@dataclass
class Result:
    scenario: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    def pct(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *argv: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "sync_server", *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"pathsix {' '.join(argv[:2])} failed:\n{proc.stderr}")
    return proc.stdout


def _prepare(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    pg_setup.create_database(args.db, drop=True)
    app_url, owner_url = pg_setup.urls(args.db)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app_url,
        PATHSIX_MIGRATION_DATABASE_URL=owner_url,
        REDIS_URL=args.redis_url,
        PATHSIX_JWT_SECRET=secrets.token_urlsafe(48),
        PATHSIX_BCRYPT_ROUNDS=str(args.rounds),
        PATHSIX_LOGIN_LIMIT_PER_IP="1000000000",
        PATHSIX_LOGIN_LIMIT_PER_EMAIL="1000000000",
        PATHSIX_VAR_DIR=str(var_dir),
        PATHSIX_LOG_LEVEL="INFO",
    )
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    _cli(env, "db", "upgrade")
    _cli(
        env, "tenant", "create", "--name", "Bench", "--admin-email", EMAIL,
        "--admin-password", PASSWORD, "--json",
    )  # fmt: skip
    return env


async def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit("pathsix serve exited during start-up; see its log")
            try:
                async with session.get(f"{base}/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("pathsix serve did not answer /healthz in time")


async def _scenario(base: str, name: str, concurrency: int, duration: float, token: str) -> Result:
    if name == "login":
        method, path = "POST", "/api/v1/auth/login"
        kwargs: dict[str, Any] = {"json": {"email": EMAIL, "password": PASSWORD}}
    else:
        method, path = "GET", "/api/v1/auth/me"
        kwargs = {"headers": {"Authorization": f"Bearer {token}"}}
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as session:

        async def one() -> tuple[int, float]:
            t0 = time.perf_counter()
            async with session.request(method, path, **kwargs) as r:
                await r.read()
                return r.status, time.perf_counter() - t0

        # Warm-up: one request per client (connections open, code paths hot); not counted.
        await asyncio.gather(*(one() for _ in range(concurrency)))

        result = Result(name, concurrency, 0.0)
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            while time.perf_counter() < deadline:
                try:
                    status, seconds = await one()
                except aiohttp.ClientError:
                    result.errors += 1
                    continue
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(seconds)
                else:
                    result.errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - start
    return result


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _table(results: list[Result], args: argparse.Namespace) -> str:
    lines = [
        f"bcrypt cost {args.rounds} · PostgreSQL (app role, RLS) · "
        f"Redis rate limiter: {'yes' if args.redis_url else 'no (in-process)'} · "
        f"{args.duration:g} s per scenario · {os.cpu_count()} CPU ({_cpu_model()}) · "
        f"Python {platform.python_version()} · load average before the run "
        f"{args.load_before:.2f} · client and server on the same machine",
        "",
        "| scenario | concurrency | requests ok | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        path = "POST /auth/login" if r.scenario == "login" else "GET /auth/me"
        lines.append(
            f"| {path} | {r.concurrency} | {r.ok} | {r.errors} | {r.ok / r.seconds:.1f} | "
            f"{r.pct(50):.1f} | {r.pct(95):.1f} | {r.pct(99):.1f} |"
        )
    return "\n".join(lines)


async def _bench(args: argparse.Namespace, base: str, server: subprocess.Popen[bytes]) -> str:
    await _wait_ready(base, server)
    login = {"email": EMAIL, "password": PASSWORD}
    async with (
        aiohttp.ClientSession(base) as session,
        session.post("/api/v1/auth/login", json=login) as r,
    ):
        if r.status != 200:
            raise SystemExit(f"login failed: {r.status} {await r.text()}")
        token = str((await r.json())["access_token"])
    results = []
    for concurrency in args.concurrency:
        for scenario in ("login", "me"):
            print(f"... {scenario} x{concurrency} for {args.duration:g} s", file=sys.stderr)
            results.append(await _scenario(base, scenario, concurrency, args.duration, token))
    bad = {f"{r.scenario}x{r.concurrency}": r.statuses for r in results if r.errors}
    if bad:
        print(f"non-200 answers: {json.dumps(bad)}", file=sys.stderr)
    return _table(results, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--rounds", type=int, default=12, help="bcrypt cost (default 12)")
    parser.add_argument(
        "--db", default="pathsix_bench_auth", help="PostgreSQL database (dropped and recreated)"
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/14", help="'' for the in-process limiter"
    )
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="pathsix-bench-") as tmp:
        var_dir = Path(tmp) / "var"
        env = _prepare(args, var_dir)
        port = _free_port()
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "sync_server", "serve", "--host", HOST, "--port", str(port)],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                table = asyncio.run(_bench(args, f"http://{HOST}:{port}", server))
            except BaseException:
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
